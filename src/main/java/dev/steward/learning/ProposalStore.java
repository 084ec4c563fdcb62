package dev.steward.learning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Proposals as rows; a status change is one UPDATE. */
final class ProposalStore {
    private static final String COLUMNS = "id, proposal_key, kind, title, user_id, evidence, change_json, evaluation, "
            + "status, base, commit_id, revert_id, created_at, decided_at, decided_by";
    private final Database database;

    ProposalStore(Database database) {
        this.database = database;
    }

    void insert(Proposal p) {
        database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO proposals (" + COLUMNS + ") VALUES (:id, :key, "
                        + ":kind, :title, :user, :evidence, :change, :evaluation, :status, :base, :commit, :revert, "
                        + ":created, :decided, :by)")
                .bind("id", p.id()).bind("key", p.key()).bind("kind", p.kind().id()).bind("title", p.title())
                .bind("user", p.userId()).bind("evidence", Json.write(p.evidence()))
                .bind("change", Json.write(p.change()))
                .bind("evaluation", p.evaluation() == null ? null : Json.write(p.evaluation()))
                .bind("status", p.status().id()).bind("base", p.base()).bind("commit", p.commitId())
                .bind("revert", p.revertId()).bind("created", p.createdAt()).bind("decided", p.decidedAt())
                .bind("by", p.decidedBy()).execute());
    }

    void update(Proposal p) {
        database.jdbi().useHandle(h -> h.createUpdate("""
                        UPDATE proposals SET change_json = :change, evaluation = :evaluation, status = :status,
                            base = :base, commit_id = :commit, revert_id = :revert, decided_at = :decided,
                            decided_by = :by WHERE id = :id""")
                .bind("change", Json.write(p.change()))
                .bind("evaluation", p.evaluation() == null ? null : Json.write(p.evaluation()))
                .bind("status", p.status().id()).bind("base", p.base()).bind("commit", p.commitId())
                .bind("revert", p.revertId()).bind("decided", p.decidedAt()).bind("by", p.decidedBy())
                .bind("id", p.id()).execute());
    }

    /** By id or an unambiguous prefix of one. */
    Optional<Proposal> find(String idOrPrefix) {
        List<Proposal> found = database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM proposals WHERE id LIKE :prefix ORDER BY created_at LIMIT 2")
                .bind("prefix", idOrPrefix.strip().replace("%", "") + "%").map((rs, ctx) -> read(rs)).list());
        if (found.size() > 1 && !found.getFirst().id().equals(idOrPrefix.strip())) {
            throw new LearningException("\"" + idOrPrefix + "\" starts more than one proposal's id",
                    "give more of the id ('steward improve list' shows them)");
        }
        return found.stream().findFirst();
    }

    /** Newest first; all statuses when {@code status} is null. */
    List<Proposal> list(Proposal.Status status, int limit) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM proposals"
                        + (status == null ? "" : " WHERE status = :status") + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("status", status == null ? null : status.id()).bind("limit", limit)
                .map((rs, ctx) -> read(rs)).list());
    }

    /** A proposal about the same thing that is still pending or applied: analysing again proposes nothing new. */
    boolean open(String key) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM proposals WHERE proposal_key = :key AND status IN ('pending', 'applied')")
                .bind("key", key).mapTo(Integer.class).one()) > 0;
    }

    private static Proposal read(ResultSet rs) throws SQLException {
        String evaluation = rs.getString("evaluation");
        long decidedAt = rs.getLong("decided_at");
        Long decided = rs.wasNull() ? null : decidedAt;
        return new Proposal(rs.getString("id"), rs.getString("proposal_key"),
                Proposal.Kind.valueOf(rs.getString("kind").toUpperCase(java.util.Locale.ROOT)), rs.getString("title"),
                rs.getString("user_id"), Json.parse(rs.getString("evidence")),
                Json.read(rs.getString("change_json"), Change.class),
                evaluation == null ? null : Json.read(evaluation, Evaluation.class),
                Proposal.Status.parse(rs.getString("status")), rs.getString("base"), rs.getString("commit_id"),
                rs.getString("revert_id"), rs.getLong("created_at"), decided,
                rs.getString("decided_by"));
    }

    static JsonNode evidence(Object value) {
        return Json.mapper().valueToTree(value);
    }
}
