package dev.steward.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.config.DatabaseConfig;
import dev.steward.router.ModelCallLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Two processes on the same home at once ({@code steward serve} and {@code steward ask}, say) never fail with
 * 'database is locked'": several JVMs and this one open a fresh home together and write and read through the real
 * stores; every process finishes cleanly and every row is there.
 */
class MultiProcessTest {
    static final int CHILDREN = 3;
    static final int TASKS_PER_CHILD = 100;
    static final int TASKS_HERE = 100;

    @TempDir
    Path home;
    @TempDir
    Path logs;

    @Test
    void processesWritingTheSameHomeAtOnceNeverSeeALockedDatabaseAndLoseNoRow() throws Exception {
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int c = 0; c < CHILDREN; c++) {
                children.add(ChildJvm.start("child" + c, logs, StoreWriter.class,
                        home.toString(), "c" + c, "1", String.valueOf(TASKS_PER_CHILD)));
            }
            // This JVM opens the same fresh home while the children do, then writes and reads alongside them.
            Database database = Database.open(home, DatabaseConfig.embedded());
            TaskStore tasks = new TaskStore(database);
            ModelCallLog calls = new ModelCallLog(database);
            AtomicBoolean childrenRunning = new AtomicBoolean(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicInteger reads = new AtomicInteger();
            Thread writer = Thread.ofPlatform().start(() -> guard(failure, () -> {
                for (int i = 0; i < TASKS_HERE; i++) {
                    StoreWriter.writeTask(tasks, calls, "here-" + i);
                }
            }));
            Thread reader = Thread.ofPlatform().start(() -> guard(failure, () -> {
                while (childrenRunning.get()) {
                    tasks.list(20, null);
                    tasks.list(20, TaskStatus.DONE);
                    calls.usageSince(0);
                    reads.incrementAndGet();
                    Thread.sleep(5);
                }
            }));

            for (ChildJvm child : children) {
                int exit = child.awaitExit(Duration.ofSeconds(60));
                assertThat(exit).as("%s exit code; stderr:%n%s", child.name(), child.stderr()).isZero();
                assertThat(child.lines()).as(child.name()).hasSize(TASKS_PER_CHILD + 1).last().isEqualTo("done");
            }
            childrenRunning.set(false);
            writer.join();
            reader.join();

            assertThat(failure.get()).as("this JVM's writer and reader").isNull();
            assertThat(reads.get()).as("reads done while the children wrote").isPositive();
            for (ChildJvm child : children) {
                assertThat(child.stderr()).as(child.name() + " stderr")
                        .doesNotContainIgnoringCase("locked").doesNotContain("SQLITE_BUSY");
            }
            int total = CHILDREN * TASKS_PER_CHILD + TASKS_HERE;
            assertThat(DatabaseTest.count(database, "SELECT COUNT(*) FROM tasks WHERE status = 'done'")).isEqualTo(total);
            assertThat(DatabaseTest.count(database, "SELECT COUNT(*) FROM task_events"))
                    .isEqualTo((long) total * StoreWriter.EVENTS_PER_TASK);
            assertThat(DatabaseTest.count(database, "SELECT COUNT(*) FROM model_calls")).isEqualTo(total);
            for (int c = 0; c < CHILDREN; c++) {
                assertThat(DatabaseTest.count(database, "SELECT COUNT(*) FROM tasks WHERE id LIKE 'c" + c + "-%'"))
                        .isEqualTo(TASKS_PER_CHILD);
            }
            assertThat(calls.usageSince(0)).singleElement()
                    .satisfies(usage -> assertThat(usage.calls()).isEqualTo(total));
            assertThat(DatabaseTest.count(database, "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL"))
                    .as("the schema was migrated once").isEqualTo(DatabaseTest.migrationCount());
        } finally {
            for (ChildJvm child : children) {
                child.close();
            }
        }
    }

    interface Work {
        void run() throws Exception;
    }

    static void guard(AtomicReference<Throwable> failure, Work work) {
        try {
            work.run();
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }
}
