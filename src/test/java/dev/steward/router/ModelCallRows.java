package dev.steward.router;

import dev.steward.store.Database;
import java.util.List;

/** Reads {@code model_calls} back for assertions, oldest first. */
public final class ModelCallRows {
    private ModelCallRows() {}

    public static List<ModelCall> all(Database database) {
        return query(database, "SELECT * FROM model_calls ORDER BY created_at, rowid", null);
    }

    public static List<ModelCall> forTask(Database database, String taskId) {
        return query(database, "SELECT * FROM model_calls WHERE task_id = :task ORDER BY created_at, rowid", taskId);
    }

    private static List<ModelCall> query(Database database, String sql, String taskId) {
        database.flushBackgroundWrites();
        return database.jdbi().withHandle(h -> (taskId == null ? h.createQuery(sql)
                        : h.createQuery(sql).bind("task", taskId))
                .map((rs, ctx) -> {
                    long ttft = rs.getLong("ttft_ms");
                    Long ttftMs = rs.wasNull() ? null : ttft;
                    return new ModelCall(rs.getString("id"), rs.getString("task_id"), rs.getString("user_id"),
                            rs.getString("provider"), rs.getString("model"),
                            rs.getString("locality") == null ? null
                                    : Locality.valueOf(rs.getString("locality").toUpperCase(java.util.Locale.ROOT)),
                            rs.getString("route_reason"),
                            rs.getString("fallback_path"), rs.getLong("tokens_in"), rs.getLong("tokens_out"),
                            rs.getLong("cost_micros"), rs.getLong("latency_ms"), ttftMs, rs.getInt("cache_hit") == 1,
                            rs.getString("outcome"), rs.getString("error"), rs.getLong("created_at"));
                })
                .list());
    }
}
