package dev.steward.router;

import dev.steward.store.BackgroundWriter;
import dev.steward.store.Database;
import dev.steward.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;

/**
 * Writes {@link ModelCall} rows. Writes are queued and committed in batches off the caller's thread, so recording
 * costs a model call microseconds; {@link #flush()} before reading them back.
 *
 * <p>A busy gateway records thousands of calls a second: the rows that queue up while the writer is busy go in as
 * one prepared batch, not one statement each. The writer lets rows gather for {@link #LINGER} after the first: a
 * transaction's begin and commit cost more than its rows, so at one call in flight a transaction per few rows was most
 * of the recording cost, and the writer thread woke every few calls. Readers of the rows flush first (budgets, usage,
 * reports, metrics), so they never see the delay. A crash loses the rows of the last {@link #LINGER} or so; an
 * orderly shutdown ({@link #close()}, or the writer's shutdown hook) loses nothing.
 */
public final class ModelCallLog implements AutoCloseable {
    private static final String INSERT = """
            INSERT INTO model_calls (id, task_id, user_id, provider, model, locality, route_reason, fallback_path,
                tokens_in, tokens_out, cost_micros, latency_ms, ttft_ms, cache_hit, outcome, error, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    /** How long recorded rows may wait to share a transaction; a flush cuts it short. */
    static final Duration LINGER = Duration.ofMillis(100);

    private final Database database;
    private final BackgroundWriter writer;
    private final ConcurrentLinkedQueue<ModelCall> pending = new ConcurrentLinkedQueue<>();
    /** True while a write that will take {@link #pending} rows is queued and has not started taking them. */
    private final AtomicBoolean drainQueued = new AtomicBoolean();

    public ModelCallLog(Database database) {
        this(database, LINGER);
    }

    ModelCallLog(Database database, Duration linger) {
        this.database = database;
        this.writer = new BackgroundWriter(database, "model-calls", linger);
    }

    public void record(ModelCall call) {
        pending.add(call);
        if (drainQueued.compareAndSet(false, true)) {
            writer.submit(this::drain);
        }
    }

    /** On the writer's thread: every row recorded so far, in one batch. */
    private void drain(Handle handle) {
        drainQueued.set(false); // rows recorded from now on queue another drain (or are taken by this one)
        ModelCall call = pending.poll();
        if (call == null) {
            return;
        }
        try (PreparedStatement insert = handle.getConnection().prepareStatement(INSERT)) {
            for (; call != null; call = pending.poll()) {
                int i = 0;
                insert.setString(++i, call.id());
                insert.setString(++i, call.taskId());
                insert.setString(++i, call.userId());
                insert.setString(++i, call.provider());
                insert.setString(++i, call.model());
                insert.setString(++i, call.locality() == null ? null : call.locality().id());
                insert.setString(++i, call.routeReason());
                insert.setString(++i, call.fallbackPath());
                insert.setLong(++i, call.tokensIn());
                insert.setLong(++i, call.tokensOut());
                insert.setLong(++i, call.costMicros());
                insert.setLong(++i, call.latencyMs());
                if (call.ttftMs() == null) {
                    insert.setNull(++i, Types.BIGINT);
                } else {
                    insert.setLong(++i, call.ttftMs());
                }
                insert.setInt(++i, call.cacheHit() ? 1 : 0);
                insert.setString(++i, call.outcome());
                insert.setString(++i, call.error());
                insert.setLong(++i, call.createdAt());
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("cannot save model calls: " + e.getMessage(), "check the database", e);
        }
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
