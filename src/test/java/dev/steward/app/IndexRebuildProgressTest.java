package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How a rebuild of the memory index shows in serve's log: when it starts, every few seconds, and when it is done. */
class IndexRebuildProgressTest {
    long now;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final IndexRebuildProgress progress = new IndexRebuildProgress(
            new PrintStream(log, true, StandardCharsets.UTF_8), false, () -> now);

    @Test
    void inALogALineWhenItStartsEveryFewSecondsAndWhenItIsDone() {
        progress.indexed(0, 1500);
        progress.indexed(500, 1500); // a moment later: not worth a line
        now += IndexRebuildProgress.LOG_EVERY.toNanos() + TimeUnit.MILLISECONDS.toNanos(1);
        progress.indexed(1000, 1500);
        progress.indexed(1500, 1500);

        assertThat(log.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "steward: building the memory index from the database: 0/1500 memories",
                "steward: building the memory index from the database: 1000/1500 memories",
                "steward: building the memory index from the database: 1500/1500 memories, done");
    }

    @Test
    void anEmptyDatabaseLeavesTheLogAlone() {
        progress.indexed(0, 0);

        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
