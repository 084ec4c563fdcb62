package dev.steward.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.agent.Intent;
import dev.steward.agent.Task;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.router.Locality;
import dev.steward.router.ModelCall;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelUsage;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the stores built on {@link Database} promise, whichever database is underneath: the same rows come back from
 * SQLite and PostgreSQL. A subclass opens {@link #database} on a fresh, empty database before each test.
 */
abstract class StoresContract {
    protected Database database;

    @AfterEach
    void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    TaskStore tasks() {
        return new TaskStore(database);
    }

    ModelCallLog calls() {
        return new ModelCallLog(database);
    }

    static Task task(String id, TaskStatus status, long createdAt) {
        return new Task(id, "local", "conv1", status, Intent.QUESTION, "what is " + id + "?", null, null, null,
                0, 0, 0, createdAt, null, null);
    }

    @Test
    void aTaskComesBackAsItWasWrittenByIdOrByAPrefixOnlyItHas() {
        Task written = new Task("abcdef1234", "local", "conv1", TaskStatus.RUNNING, Intent.COMPLEX_TASK,
                "plan a trip, 100% \"quoted\" — ünïcode", null, null, "gpt-x", 12, 34, 56, 1_000, 1_001L, null);
        tasks().insert(written);
        tasks().insert(task("abzzzz0000", TaskStatus.QUEUED, 2_000));

        assertThat(tasks().find("abcdef1234")).contains(written);
        assertThat(tasks().find("abc")).contains(written);
        assertThat(tasks().find("ab")).as("a prefix two tasks have").isEmpty();
        assertThat(tasks().find("nothing")).isEmpty();
        assertThat(tasks().find("%")).as("LIKE wildcards are not patterns").isEmpty();
    }

    @Test
    void anUpdateRecordsTheOutcome() {
        tasks().insert(task("t1", TaskStatus.QUEUED, 1_000));
        Task finished = new Task("t1", "local", "conv1", TaskStatus.DONE, Intent.SIMPLE_ACTION, "what is t1?",
                "42", null, "offline-1", 100, 200, 300, 1_000, 1_100L, 1_500L);

        tasks().update(finished);

        assertThat(tasks().find("t1")).contains(finished);
        assertThat(finished.durationMs()).isEqualTo(400);
    }

    @Test
    void theListIsNewestFirstLimitedAndFilteredByStatus() {
        for (int i = 1; i <= 5; i++) {
            tasks().insert(task("t" + i, i % 2 == 0 ? TaskStatus.DONE : TaskStatus.RUNNING, i * 1_000L));
        }

        assertThat(tasks().list(3, null)).extracting(Task::id).containsExactly("t5", "t4", "t3");
        assertThat(tasks().list(10, TaskStatus.DONE)).extracting(Task::id).containsExactly("t4", "t2");
        assertThat(tasks().list(1, TaskStatus.RUNNING)).extracting(Task::id).containsExactly("t5");
        assertThat(tasks().list(10, TaskStatus.FAILED)).isEmpty();
    }

    @Test
    void eventsAreNumberedFromOnePerTaskAndKeepTheirData() {
        tasks().insert(task("t1", TaskStatus.RUNNING, 1_000));
        tasks().insert(task("t2", TaskStatus.RUNNING, 2_000));

        tasks().append("t1", TaskEvent.Kind.PLAN, TaskEvent.AgentRole.MANAGER, "two steps", Json.parse("{\"steps\":[\"a\",\"b\"],\"n\":2}"));
        tasks().append("t2", TaskEvent.Kind.ANSWER, null, "hello", null);
        TaskEvent last = tasks().append("t1", TaskEvent.Kind.DONE, TaskEvent.AgentRole.EMPLOYEE, "finished", null);

        assertThat(last.seq()).isEqualTo(2);
        List<TaskEvent> events = tasks().events("t1");
        assertThat(events).extracting(TaskEvent::seq).containsExactly(1, 2);
        assertThat(events).extracting(e -> e.type().id()).containsExactly("plan", "done");
        assertThat(events.get(0).role()).isEqualTo(TaskEvent.AgentRole.MANAGER);
        assertThat(events.get(0).data()).isEqualTo(Json.parse("{\"n\":2,\"steps\":[\"a\",\"b\"]}"));
        assertThat(events.get(1).data()).isNull();
        assertThat(tasks().events("t2")).singleElement().extracting(TaskEvent::seq).isEqualTo(1);
        assertThat(tasks().events("none")).isEmpty();
    }

    @Test
    void eventsAppendedToOneTaskAtOnceGetDistinctConsecutiveNumbers() throws Exception {
        tasks().insert(task("busy", TaskStatus.RUNNING, 1_000));
        int threads = 4;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        tasks().append("busy", TaskEvent.Kind.STEP, null, "thread " + thread + " step " + i, null);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(tasks().events("busy")).extracting(TaskEvent::seq)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, threads * perThread).boxed().toList());
    }

    @Test
    void anEventNeedsItsTaskAndGoesWithIt() {
        assertThatThrownBy(() -> tasks().append("missing", TaskEvent.Kind.ANSWER, null, "hello", null))
                .as("foreign key to tasks").isInstanceOf(RuntimeException.class);

        tasks().insert(task("t1", TaskStatus.DONE, 1_000));
        tasks().append("t1", TaskEvent.Kind.ANSWER, null, "hello", null);
        database.jdbi().useHandle(h -> h.execute("DELETE FROM tasks WHERE id = 't1'"));

        assertThat(tasks().events("t1")).isEmpty();
    }

    @Test
    void modelUsageAddsUpPerModelMostExpensiveFirst() {
        ModelCallLog calls = calls();
        calls.record(call("c1", "openai", "gpt-big", 100, 50, 9_000, 1_000, false, "ok", 10_000));
        calls.record(call("c2", "openai", "gpt-big", 200, 70, 11_000, 3_000, true, "ok", 11_000));
        calls.record(call("c3", "ollama", "llama", 10, 0, 0, 500, false, "error", 12_000));
        calls.record(call("c4", "ollama", "llama", 30, 40, 0, 700, false, "ok", 13_000));
        calls.record(call("c0", "openai", "gpt-old", 1, 1, 99_999, 1, false, "ok", 9_999));

        List<ModelUsage> usage = calls.usageSince(10_000);

        assertThat(usage).containsExactly(
                new ModelUsage("openai", "gpt-big", 2, 0, 300, 120, 20_000, 2_000),
                new ModelUsage("ollama", "llama", 2, 1, 40, 40, 0, 600));
        assertThat(calls.usageSince(20_000)).isEmpty();
        assertThat(DatabaseTest.count(database, "SELECT cache_hit FROM model_calls WHERE id = 'c2'")).isEqualTo(1);
    }

    private static ModelCall call(String id, String provider, String model, long in, long out, long costMicros,
                                  long latencyMs, boolean cacheHit, String outcome, long createdAt) {
        return new ModelCall(id, null, "local", provider, model, Locality.LOCAL, "cheapest", null, in, out, costMicros, latencyMs,
                latencyMs / 2, cacheHit, outcome, outcome.equals("ok") ? null : "boom", createdAt);
    }
}
