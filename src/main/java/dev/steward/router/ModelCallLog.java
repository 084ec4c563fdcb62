package dev.steward.router;

import dev.steward.store.BackgroundWriter;
import dev.steward.store.Database;
import java.util.List;

/**
 * Writes {@link ModelCall} rows. Writes are queued and committed in batches off the caller's thread, so recording
 * costs a model call microseconds; {@link #flush()} before reading them back.
 */
public final class ModelCallLog implements AutoCloseable {
    private final Database database;
    private final BackgroundWriter writer;

    public ModelCallLog(Database database) {
        this.database = database;
        this.writer = new BackgroundWriter(database, "model-calls");
    }

    public void record(ModelCall call) {
        writer.submit(h -> h.createUpdate("""
                        INSERT INTO model_calls (id, task_id, user_id, provider, model, locality, route_reason,
                            fallback_path, tokens_in, tokens_out, cost_micros, latency_ms, ttft_ms, cache_hit, outcome,
                            error, created_at)
                        VALUES (:id, :taskId, :userId, :provider, :model, :locality, :routeReason, :fallbackPath,
                            :tokensIn, :tokensOut, :costMicros, :latencyMs, :ttftMs, :cacheHit, :outcome, :error,
                            :createdAt)
                        """)
                .bindMethods(call)
                .bind("locality", call.locality() == null ? null : call.locality().id())
                .bind("cacheHit", call.cacheHit() ? 1 : 0)
                .execute());
    }

    /** Waits until every call recorded so far is in the database. */
    public void flush() {
        writer.flush();
    }

    @Override
    public void close() {
        writer.close();
    }

    /** Total cost of the calls made at or after {@code sinceMillis}, by one user or (null) everyone. */
    long spentSince(long sinceMillis, String userId) {
        flush();
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(SUM(cost_micros), 0) FROM model_calls"
                        + " WHERE created_at >= :since" + (userId == null ? "" : " AND user_id = :user"))
                .bind("since", sinceMillis)
                .bind("user", userId)
                .mapTo(Long.class).one());
    }

    /** Usage per model of the calls made at or after {@code sinceMillis}, the most expensive first. */
    public List<ModelUsage> usageSince(long sinceMillis) {
        flush();
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

    /** Calls, tokens and cost per user since {@code sinceMillis}, the biggest spender first. */
    public List<SpendRow> spendByUser(long sinceMillis) {
        return spendBy("user_id", sinceMillis);
    }

    /** Calls, tokens and cost per locality (offline, local, cloud) since {@code sinceMillis}. */
    public List<SpendRow> spendByLocality(long sinceMillis) {
        return spendBy("COALESCE(locality, 'unknown')", sinceMillis);
    }

    /** Calls, tokens and cost per UTC day (yyyy-mm-dd) since {@code sinceMillis}, oldest first. */
    public List<SpendRow> spendByDay(long sinceMillis) {
        flush();
        List<SpendRow> rows = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT created_at / 86400000 AS day, COUNT(*) AS calls, SUM(tokens_in) AS tokens_in,
                            SUM(tokens_out) AS tokens_out, SUM(cost_micros) AS cost_micros
                        FROM model_calls WHERE created_at >= :since GROUP BY created_at / 86400000 ORDER BY 1
                        """)
                .bind("since", sinceMillis)
                .map((rs, ctx) -> new SpendRow(java.time.LocalDate.ofEpochDay(rs.getLong("day")).toString(),
                        rs.getLong("calls"), rs.getLong("tokens_in"), rs.getLong("tokens_out"), rs.getLong("cost_micros")))
                .list());
        return rows;
    }

    private List<SpendRow> spendBy(String key, long sinceMillis) {
        flush();
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + key + " AS k, COUNT(*) AS calls,"
                        + " SUM(tokens_in) AS tokens_in, SUM(tokens_out) AS tokens_out, SUM(cost_micros) AS cost_micros"
                        + " FROM model_calls WHERE created_at >= :since GROUP BY " + key
                        + " ORDER BY SUM(cost_micros) DESC, COUNT(*) DESC")
                .bind("since", sinceMillis)
                .map((rs, ctx) -> new SpendRow(rs.getString("k"), rs.getLong("calls"), rs.getLong("tokens_in"),
                        rs.getLong("tokens_out"), rs.getLong("cost_micros")))
                .list());
    }

    /** Calls, tokens and cost under one key (a user, a day, a locality). */
    public record SpendRow(String key, long calls, long tokensIn, long tokensOut, long costMicros) {}
}
