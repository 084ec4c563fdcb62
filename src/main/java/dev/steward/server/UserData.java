package dev.steward.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.identity.Accounts;
import dev.steward.identity.Accounts.User;
import dev.steward.memory.Memory;
import dev.steward.memory.MemorySearch;
import dev.steward.memory.Teams;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything Steward holds about one user, for the right to see it ({@link #export}) and the right to have it gone
 * ({@link #purge}). A purge deletes their memory, the texts of their tasks, their approvals' arguments, cached
 * answers and documents, then rewrites the search index and the SQLite file so the text is gone from disk; the spend
 * rows (model calls and task totals) stay, with no text, under an id that no longer names anyone, so budgets and
 * reports still add up. The audit log stays as it is: it is hash-chained evidence of who did what.
 */
public final class UserData {
    static final String PURGED_TEXT = "[purged]";

    private final Database database;
    private final Memory memory;
    private final MemorySearch search;
    private final Accounts accounts;
    private final Teams teams;

    public UserData(Database database, Memory memory, MemorySearch search, Accounts accounts, Teams teams) {
        this.database = database;
        this.memory = memory;
        this.search = search;
        this.accounts = accounts;
        this.teams = teams;
    }

    /** Everything held about a user, as JSON; throws {@link IllegalArgumentException} for an unknown user. */
    public ObjectNode export(String name) {
        User user = existing(name);
        ObjectNode root = Json.object().put("format", "steward-user").put("version", 1);
        root.set("user", Json.mapper().valueToTree(user));
        root.set("teams", Json.mapper().valueToTree(teams.teamsOf(user.id())));
        root.set("memory", memory.export(user.id()));
        database.flushBackgroundWrites(); // the last calls' rows may still be on their way
        database.jdbi().useHandle(h -> {
            root.set("tasks", Json.mapper().valueToTree(h.createQuery("SELECT id, status, intent, input, answer, error,"
                            + " model, tokens_in, tokens_out, cost_micros, created_at, finished_at FROM tasks"
                            + " WHERE user_id = :user ORDER BY created_at").bind("user", user.id()).mapToMap().list()));
            root.set("approvals", Json.mapper().valueToTree(h.createQuery("SELECT * FROM approvals"
                    + " WHERE user_id = :user ORDER BY created_at").bind("user", user.id()).mapToMap().list()));
            root.set("documents", Json.mapper().valueToTree(h.createQuery("SELECT path, title, modified_at,"
                            + " size_bytes, chunks, indexed_at FROM knowledge_documents WHERE user_id = :user ORDER BY path")
                    .bind("user", user.id()).mapToMap().list()));
            root.set("spend", Json.mapper().valueToTree(h.createQuery("SELECT COUNT(*) AS calls,"
                            + " COALESCE(SUM(tokens_in), 0) AS tokens_in, COALESCE(SUM(tokens_out), 0) AS tokens_out,"
                            + " COALESCE(SUM(cost_micros), 0) AS cost_micros FROM model_calls WHERE user_id = :user")
                    .bind("user", user.id()).mapToMap().one()));
        });
        return root;
    }

    /** What a purge removed, by kind. */
    public record Purged(String userId, Map<String, Integer> counts) {}

    /** Removes a user and deletes what they said and stored, as described above. */
    public Purged purge(String name) {
        User user = existing(name);
        accounts.removeUser(user.name()); // first: it refuses 'local', before anything is deleted
        Map<String, Integer> counts = new LinkedHashMap<>(memory.clear(user.id()));
        teams.leaveAll(user.id());
        database.flushBackgroundWrites(); // a call's row still on its way would keep its error text
        database.jdbi().useTransaction(h -> {
            counts.put("task_events", h.createUpdate("DELETE FROM task_events WHERE task_id IN"
                    + " (SELECT id FROM tasks WHERE user_id = :user)").bind("user", user.id()).execute());
            counts.put("tasks", h.createUpdate("UPDATE tasks SET input = :purged, answer = NULL, error = NULL,"
                            + " plan = NULL, question = NULL, checkpoint = NULL WHERE user_id = :user")
                    .bind("purged", PURGED_TEXT).bind("user", user.id()).execute());
            counts.put("approvals", h.createUpdate("UPDATE approvals SET arguments = '{}', reason = NULL,"
                    + " result = NULL WHERE user_id = :user").bind("user", user.id()).execute());
            counts.put("response_cache", h.createUpdate("DELETE FROM response_cache WHERE user_id = :user")
                    .bind("user", user.id()).execute());
            counts.merge("documents", h.createUpdate("DELETE FROM knowledge_documents WHERE user_id = :user")
                    .bind("user", user.id()).execute(), Integer::sum);
            h.createUpdate("DELETE FROM knowledge_chunks WHERE user_id = :user").bind("user", user.id()).execute();
            h.createUpdate("UPDATE model_calls SET error = NULL WHERE user_id = :user").bind("user", user.id())
                    .execute();
            h.createUpdate("UPDATE users SET name = :gone WHERE id = :user").bind("gone", "purged~" + user.id())
                    .bind("user", user.id()).execute();
        });
        search.expungeDeleted();
        if (database.dialect() == Database.Dialect.SQLITE) {
            // deleted rows linger in free pages and the write-ahead log until the file is rewritten
            database.jdbi().useHandle(h -> {
                h.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                h.execute("VACUUM");
                h.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            });
        }
        return new Purged(user.id(), counts);
    }

    private User existing(String name) {
        return accounts.findUser(name).orElseThrow(() -> new IllegalArgumentException("no user '" + name
                + "'; see the names with: steward users list"));
    }
}
