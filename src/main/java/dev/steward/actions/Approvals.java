package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.Role;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Persisted approval requests: the call as it was asked, a confirmation token, and an expiry. */
final class Approvals {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Database database;

    Approvals(Database database) {
        this.database = database;
    }

    Approval create(String userId, Role role, String taskId, String tool, JsonNode arguments, Risk risk,
                    String reason, long now, long expiresAt, List<Provenance.Untrusted> untrusted) {
        byte[] token = new byte[16];
        RANDOM.nextBytes(token);
        Approval approval = new Approval(Ids.next(), HexFormat.of().formatHex(token), userId, role, taskId, tool,
                Json.write(arguments), risk.id(), reason, Approval.PENDING, now, expiresAt, null, null, null, untrusted);
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO approvals (id, token, user_id, role, task_id, tool, arguments, risk, reason, status,
                            created_at, expires_at, untrusted)
                        VALUES (:id, :token, :userId, :role, :taskId, :tool, :arguments, :risk, :reason, :status,
                            :createdAt, :expiresAt, :untrustedJson)""")
                .bindMethods(approval).bind("role", role == null ? null : role.id())
                .bind("untrustedJson", approval.untrusted().isEmpty() ? null : Json.write(
                        Json.mapper().valueToTree(approval.untrusted()))).execute());
        return approval;
    }

    Optional<Approval> find(String id) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM approvals WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> approval(rs)).findOne());
    }

    /** Moves a pending request to a decision; false if someone else decided first. */
    boolean decide(String id, String status, String decidedBy, long now) {
        return database.jdbi().withHandle(h -> h.createUpdate("""
                        UPDATE approvals SET status = :status, decided_by = :by, decided_at = :now
                        WHERE id = :id AND status = 'pending'""")
                .bind("status", status).bind("by", decidedBy).bind("now", now).bind("id", id).execute()) == 1;
    }

    void saveResult(String id, String status, String result) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE approvals SET status = :status, result = :result WHERE id = :id")
                .bind("status", status).bind("result", result).bind("id", id).execute());
    }

    List<Approval> list(boolean pendingOnly, int limit) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM approvals"
                        + (pendingOnly ? " WHERE status = 'pending'" : "") + " ORDER BY created_at DESC, id LIMIT :limit")
                .bind("limit", limit).map((rs, ctx) -> approval(rs)).list());
    }

    private static Role role(String id) {
        return id == null ? null : Role.fromId(id);
    }

    private static List<Provenance.Untrusted> untrusted(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        List<Provenance.Untrusted> list = new java.util.ArrayList<>();
        for (JsonNode item : Json.parse(json)) {
            list.add(new Provenance.Untrusted(item.path("tool").asText(), item.path("snippet").asText()));
        }
        return list;
    }

    private static Approval approval(ResultSet rs) throws SQLException {
        long decidedAt = rs.getLong("decided_at");
        Long decided = rs.wasNull() ? null : decidedAt;
        return new Approval(rs.getString("id"), rs.getString("token"), rs.getString("user_id"), role(rs.getString("role")),
                rs.getString("task_id"), rs.getString("tool"), rs.getString("arguments"), rs.getString("risk"),
                rs.getString("reason"), rs.getString("status"), rs.getLong("created_at"), rs.getLong("expires_at"),
                decided, rs.getString("decided_by"), rs.getString("result"), untrusted(rs.getString("untrusted")));
    }
}
