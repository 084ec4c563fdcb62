package dev.steward.router;

import dev.steward.store.Database;
import java.util.List;

/** Writes {@link ModelCall} rows. */
public final class ModelCallLog {
    private final Database database;

    public ModelCallLog(Database database) {
        this.database = database;
    }

    public void record(ModelCall call) {
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO model_calls (id, task_id, user_id, provider, model, route_reason, fallback_path,
                            tokens_in, tokens_out, cost_micros, latency_ms, ttft_ms, cache_hit, outcome, error, created_at)
                        VALUES (:id, :taskId, :userId, :provider, :model, :routeReason, :fallbackPath,
                            :tokensIn, :tokensOut, :costMicros, :latencyMs, :ttftMs, :cacheHit, :outcome, :error, :createdAt)
                        """)
                .bindMethods(call)
                .bind("cacheHit", call.cacheHit() ? 1 : 0)
                .execute());
    }

    /** Usage per model of the calls made at or after {@code sinceMillis}, the most expensive first. */
    public List<ModelUsage> usageSince(long sinceMillis) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT provider, model, COUNT(*) AS calls,
                            SUM(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END) AS errors,
                            SUM(tokens_in) AS tokens_in, SUM(tokens_out) AS tokens_out,
                            SUM(cost_micros) AS cost_micros, AVG(latency_ms) AS avg_latency
                        FROM model_calls WHERE created_at >= :since
                        GROUP BY provider, model ORDER BY SUM(cost_micros) DESC, COUNT(*) DESC
                        """)
                .bind("since", sinceMillis)
                .map((rs, ctx) -> new ModelUsage(rs.getString("provider"), rs.getString("model"), rs.getLong("calls"),
                        rs.getLong("errors"), rs.getLong("tokens_in"), rs.getLong("tokens_out"),
                        rs.getLong("cost_micros"), Math.round(rs.getDouble("avg_latency"))))
                .list());
    }
}
