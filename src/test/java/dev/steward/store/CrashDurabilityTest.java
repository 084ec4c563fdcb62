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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "A process killed mid-write loses nothing that was committed": a writer prints each task's id once its rows are
 * committed and is killed with SIGKILL while writing; every printed id is there afterwards, whole, in a sound file that
 * takes new writes.
 */
class CrashDurabilityTest {
    static final int PRINTED_BEFORE_KILL = 60;

    @TempDir
    Path home;
    @TempDir
    Path logs;

    @Test
    void everyTaskCommittedBeforeAKillIsThereAfterReopening() throws Exception {
        List<String> committed = new ArrayList<>();
        // Twice: the second writer starts on the file the first one left mid-write, as a restarted Steward would.
        for (int round = 0; round < 2; round++) {
            try (ChildJvm writer = ChildJvm.start("writer" + round, logs, StoreWriter.class,
                    home.toString(), "r" + round, "2", "-1")) {
                List<String> printed = writer.awaitLines(PRINTED_BEFORE_KILL, Duration.ofSeconds(60));
                assertThat(printed).as("ids printed before the kill; stderr:%n%s", writer.stderr())
                        .hasSizeGreaterThanOrEqualTo(PRINTED_BEFORE_KILL);

                int exit = writer.kill();

                assertThat(exit).as("killed, not finished").isNotZero();
                assertThat(writer.lines()).doesNotContain("done");
                committed.addAll(writer.lines());
            }
        }

        Database database = Database.open(home, DatabaseConfig.embedded());
        TaskStore tasks = new TaskStore(database);
        List<String> integrity = database.jdbi().withHandle(h -> h.createQuery("PRAGMA integrity_check")
                .mapTo(String.class).list());
        assertThat(integrity).containsExactly("ok");
        List<String> stored = database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM tasks")
                .mapTo(String.class).list());
        assertThat(stored).containsAll(committed);
        for (String id : committed) {
            assertThat(tasks.find(id)).get().extracting(t -> t.status()).isEqualTo(TaskStatus.DONE);
            assertThat(tasks.events(id)).hasSize(StoreWriter.EVENTS_PER_TASK);
        }
        assertThat(DatabaseTest.count(database, "SELECT COUNT(*) FROM model_calls WHERE task_id IN (SELECT id FROM tasks"
                + " WHERE status = 'done')")).isGreaterThanOrEqualTo(committed.size());

        StoreWriter.writeTask(tasks, new ModelCallLog(database), "after-crash");
        assertThat(tasks.find("after-crash")).isPresent();
    }
}
