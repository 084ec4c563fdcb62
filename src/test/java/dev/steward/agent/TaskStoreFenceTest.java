package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.DatabaseConfig;
import dev.steward.router.RamTempDir;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every claim of a task gives a new lease epoch, and the store writes a task only for the epoch that holds it. */
class TaskStoreFenceTest {
    @TempDir(factory = RamTempDir.class)
    Path home;

    @Test
    void aWriteWithAnEpochAnotherClaimHasReplacedIsRefusedAndChangesNothing() {
        try (Database database = Database.open(home, DatabaseConfig.embedded())) {
            database.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO users (id, name, role, created_at) VALUES ('ann', 'ann', 'standard', 0)"));
            TaskStore tasks = new TaskStore(database);
            Task queued = new Task("t1", "ann", null, TaskStatus.QUEUED, Intent.QUESTION, "which supplier?", null,
                    null, null, 0, 0, 0, 1_000, null, null, null, null, null, null, null, null, "api");
            tasks.insert(queued, "{}", null, 0);

            long epochA = tasks.claim("t1", TaskStatus.QUEUED, "node-a", 2_000, 3_000).orElseThrow();
            assertThat(tasks.claim("t1", TaskStatus.QUEUED, "node-b", 2_500, 9_000)).as("A's lease holds").isEmpty();
            long epochB = tasks.claim("t1", TaskStatus.QUEUED, "node-b", 3_000, 9_000).orElseThrow();
            assertThat(epochB).as("a new claim, a new epoch").isGreaterThan(epochA);

            Task byA = new TaskBuilder(queued).status(TaskStatus.DONE).answer("A's late answer").build();
            TaskStore.NewEvent done = new TaskStore.NewEvent(TaskEvent.Kind.DONE, null, "A's late answer", null);
            assertThatThrownBy(() -> tasks.saveAndAppend(byA, "{}", 0, epochA, List.of(done)))
                    .isInstanceOf(TaskStore.LeaseLost.class)
                    .hasMessage("task t1 was taken over by another runner (its lease epoch is no longer " + epochA + ")");
            assertThatThrownBy(() -> tasks.save(byA, "{}", 0, epochA)).isInstanceOf(TaskStore.LeaseLost.class);
            assertThat(tasks.find("t1").orElseThrow().status()).as("nothing of A's written").isEqualTo(TaskStatus.QUEUED);
            assertThat(tasks.events("t1")).as("nor its event").isEmpty();

            Task byB = new TaskBuilder(queued).status(TaskStatus.DONE).answer("B's answer").build();
            tasks.saveAndAppend(byB, "{}", 0, epochB, List.of(done));
            assertThat(tasks.find("t1").orElseThrow().answer()).isEqualTo("B's answer");
        }
    }

    /**
     * Nodes whose clocks are a few seconds apart: each writes its lease by its own clock and another reads it by its
     * own. A node 5 s ahead never takes a task whose holder renews a 30 s lease every 10 s; one 40 s ahead (more than
     * a lease) takes it early — and then the holder's next write is refused, so the task is never written by both.
     */
    @Test
    void clocksAFewSecondsApartNeverLetTwoNodesWriteOneTask() {
        try (Database database = Database.open(home, DatabaseConfig.embedded())) {
            database.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO users (id, name, role, created_at) VALUES ('ann', 'ann', 'standard', 0)"));
            TaskStore tasks = new TaskStore(database);
            Task queued = new Task("t2", "ann", null, TaskStatus.QUEUED, Intent.QUESTION, "which supplier?", null,
                    null, null, 0, 0, 0, 1_000, null, null, null, null, null, null, null, null, "api");
            tasks.insert(queued, "{}", null, 0);
            long lease = 30_000;
            long renewEvery = 10_000;
            long start = 1_000_000;

            long epochA = tasks.claim("t2", TaskStatus.QUEUED, "node-a", start, start + lease).orElseThrow();
            for (long aNow = start; aNow <= start + 120_000; aNow += renewEvery) {
                tasks.renew("node-a", List.of("t2"), aNow + lease);
                long bNow = aNow + renewEvery + 5_000; // B looks just before A's next renewal, its clock 5 s ahead
                assertThat(tasks.claim("t2", TaskStatus.QUEUED, "node-b", bNow, bNow + lease))
                        .as("B, 5 s ahead, at A's %d ms", aNow).isEmpty();
            }

            long aNow = start + 130_000;
            tasks.renew("node-a", List.of("t2"), aNow + lease);
            long farAhead = aNow + 40_000; // a clock off by more than a lease: the takeover comes early
            long epochB = tasks.claim("t2", TaskStatus.QUEUED, "node-b", farAhead, farAhead + lease).orElseThrow();

            Task byA = new TaskBuilder(queued).status(TaskStatus.DONE).answer("A's answer").build();
            assertThatThrownBy(() -> tasks.save(byA, "{}", 0, epochA)).isInstanceOf(TaskStore.LeaseLost.class);
            Task byB = new TaskBuilder(queued).status(TaskStatus.DONE).answer("B's answer").build();
            tasks.save(byB, "{}", 0, epochB);
            assertThat(tasks.find("t2").orElseThrow().answer()).isEqualTo("B's answer");
        }
    }
}
