package dev.steward.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.util.List;

/**
 * The rows upkeep writes: each applied change with what puts it back ({@code memory_upkeep}, V18), and the changes
 * themselves — closing a fact (it stays as history) and removing an entity no current fact or relation names.
 */
final class UpkeepJournal {
    /** One applied change of a run. */
    record Entry(String id, String runId, String kind, String targetId, JsonNode detail, long appliedAt,
                 Long undoneAt) {}

    private final Database database;
    private final MemoryStore store;

    UpkeepJournal(Database database, MemoryStore store) {
        this.database = database;
        this.store = store;
    }

    void record(String runId, String userId, String kind, String targetId, JsonNode detail, long at) {
        database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO memory_upkeep (id, run_id, user_id, kind,"
                        + " target_id, detail, applied_at) VALUES (:id, :run, :user, :kind, :target, :detail, :at)")
                .bind("id", Ids.next()).bind("run", runId).bind("user", userId).bind("kind", kind)
                .bind("target", targetId).bind("detail", Json.write(detail)).bind("at", at).execute());
    }

    List<Entry> entries(String userId, String runId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM memory_upkeep WHERE user_id = :user"
                        + " AND run_id = :run ORDER BY applied_at, id").bind("user", userId).bind("run", runId)
                .map((rs, ctx) -> new Entry(rs.getString("id"), rs.getString("run_id"), rs.getString("kind"),
                        rs.getString("target_id"), Json.parse(rs.getString("detail")), rs.getLong("applied_at"),
                        undoneAt(rs)))
                .list());
    }

    private static Long undoneAt(java.sql.ResultSet rs) throws java.sql.SQLException {
        long at = rs.getLong("undone_at");
        return rs.wasNull() ? null : at;
    }

    void undone(String entryId, long at) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE memory_upkeep SET undone_at = :at WHERE id = :id")
                .bind("at", at).bind("id", entryId).execute());
    }

    /** Closes a current fact (its history keeps it); false when it was no longer current. */
    boolean closeFact(String userId, String factId, String successor, long at) {
        return database.jdbi().withHandle(h -> h.createUpdate("UPDATE facts SET valid_to = :at, superseded_by ="
                        + " :successor WHERE id = :id AND user_id = :user AND valid_to IS NULL")
                .bind("at", at).bind("successor", successor).bind("id", factId).bind("user", userId).execute()) == 1;
    }

    /** Opens a fact again that upkeep closed at {@code closedAt}; false when something else changed it since. */
    boolean reopenFact(String userId, String factId, long closedAt) {
        return database.jdbi().withHandle(h -> h.createUpdate("UPDATE facts SET valid_to = NULL, superseded_by ="
                        + " NULL WHERE id = :id AND user_id = :user AND valid_to = :at")
                .bind("id", factId).bind("user", userId).bind("at", closedAt).execute()) == 1;
    }

    /** Deletes an entity with its aliases and relations; what it was, to put back. */
    JsonNode removeEntity(Entity entity, List<Relation> relations) {
        var detail = Json.object();
        detail.set("entity", Json.mapper().valueToTree(entity));
        detail.set("relations", Json.mapper().valueToTree(relations));
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM relations WHERE from_entity = :id OR to_entity = :id").bind("id", entity.id())
                    .execute();
            h.createUpdate("DELETE FROM entity_aliases WHERE entity_id = :id").bind("id", entity.id()).execute();
            h.createUpdate("DELETE FROM entities WHERE id = :id").bind("id", entity.id()).execute();
        });
        return detail;
    }

    /** Puts back an entity upkeep removed; false when its name is taken again meanwhile. */
    boolean restoreEntity(String userId, JsonNode detail) {
        Entity entity = Json.mapper().convertValue(detail.path("entity"), Entity.class);
        if (store.entities(userId).stream().anyMatch(e -> MemoryStore.key(e.name()).equals(MemoryStore.key(
                entity.name())))) {
            return false;
        }
        store.insertEntity(entity);
        for (JsonNode r : detail.path("relations")) {
            store.insertRelation(Json.mapper().convertValue(r, Relation.class));
        }
        return true;
    }
}
