package dev.steward.learning;

import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.RoutedResponse;
import dev.steward.router.Router;
import dev.steward.store.Database;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a proposal by sending recorded requests again, through the router as every caller does, against the
 * configuration the proposal would make. Replays are real model calls: they are few (at most {@link #TARGETS} plus
 * {@link #GUARDS}), recorded and priced like any other, and charged to the user the proposal is for.
 */
final class Replay {
    static final int TARGETS = 10;
    static final int GUARDS = 5;
    private static final int MAX_TOKENS = 1024;

    private final Database database;
    private final Router router;

    Replay(Database database, Router router) {
        this.database = database;
        this.router = router;
    }

    /** The requests of the tasks whose calls to {@code route} failed since {@code since}, newest first. */
    List<Recorded> failedOn(String route, long since) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT t.id, t.user_id, t.input, c.latency_ms, c.cost_micros FROM model_calls c
                        JOIN tasks t ON t.id = c.task_id
                        WHERE c.outcome = 'error' AND c.provider || '/' || c.model = :route AND c.created_at >= :since
                        ORDER BY c.created_at DESC""")
                .bind("route", route).bind("since", since)
                .map((rs, ctx) -> new Recorded(rs.getString(1), rs.getString(2), rs.getString(3), false, rs.getLong(4),
                        rs.getLong(5)))
                .list()).stream().filter(distinctTasks()).limit(TARGETS).toList();
    }

    /** Recent finished tasks other than {@code except}, as a regression guard: each as it was recorded. */
    List<Recorded> guard(List<Recorded> except, long since) {
        List<String> skip = except.stream().map(Recorded::taskId).toList();
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT id, user_id, input, COALESCE(finished_at - started_at, 0), cost_micros, status FROM tasks
                        WHERE status IN ('done', 'failed') AND created_at >= :since ORDER BY created_at DESC LIMIT 50""")
                .bind("since", since)
                .map((rs, ctx) -> new Recorded(rs.getString(1), rs.getString(2), rs.getString(3),
                        "done".equals(rs.getString(6)), rs.getLong(4), rs.getLong(5)))
                .list()).stream().filter(r -> !skip.contains(r.taskId())).limit(GUARDS).toList();
    }

    /** The rated tasks' requests, for a preference's evaluation. */
    List<Recorded> tasks(List<String> taskIds) {
        List<Recorded> out = new ArrayList<>();
        for (String id : taskIds.stream().limit(TARGETS).toList()) {
            database.jdbi().withHandle(h -> h.createQuery("""
                            SELECT id, user_id, input, COALESCE(finished_at - started_at, 0), cost_micros, status
                            FROM tasks WHERE id = :id""")
                    .bind("id", id)
                    .map((rs, ctx) -> new Recorded(rs.getString(1), rs.getString(2), rs.getString(3),
                            "done".equals(rs.getString(6)), rs.getLong(4), rs.getLong(5)))
                    .findOne()).ifPresent(out::add);
        }
        return out;
    }

    /** One request again, on {@code model} (null: as routing decides), with {@code system} before it if any. */
    Evaluation.Outcome replay(Recorded request, String model, String system) {
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null && !system.isEmpty()) {
            messages.add(ChatMessage.system(system));
        }
        messages.add(ChatMessage.user(request.input()));
        long started = System.nanoTime();
        try {
            RoutedResponse answer = router.chat(new ChatRequest(messages, null, model, null, MAX_TOKENS, false),
                    new CallContext(request.userId(), null, "learning", null, 0));
            return new Evaluation.Outcome(true, answer.latencyMs(), answer.costMicros());
        } catch (RuntimeException failed) {
            return new Evaluation.Outcome(false, (System.nanoTime() - started) / 1_000_000, 0);
        }
    }

    boolean offline() {
        return router.offline();
    }

    /** A recorded request and how it went. */
    record Recorded(String taskId, String userId, String input, boolean ok, long latencyMs, long costMicros) {
        Evaluation.Outcome outcome() {
            return new Evaluation.Outcome(ok, latencyMs, costMicros);
        }
    }

    private static java.util.function.Predicate<Recorded> distinctTasks() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return r -> seen.add(r.taskId());
    }
}
