package dev.steward.memory;

import static dev.steward.memory.MemoryIndexTest.NOW;
import static dev.steward.memory.MemoryIndexTest.fact;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server's index holds one writer and commits in batches ({@link MemoryIndex#holdWriter}); a second MemoryIndex on
 * the same folder stands for a second process (a CLI command).
 */
class HeldWriterTest {
    static final Duration EVERY = Duration.ofMillis(200);

    @TempDir
    Path dir;
    MemoryIndex server;

    @BeforeEach
    void open() {
        server = open(dir);
        server.holdWriter(EVERY);
    }

    @AfterEach
    void close() {
        server.close();
    }

    static MemoryIndex open(Path folder) {
        return new MemoryIndex(folder, Embedder.hashing(64), Ranking.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static List<String> ids(MemoryIndex index, String user, String words) {
        return index.search(MemoryQuery.of(user, words, 50)).stream().map(h -> h.document().id()).toList();
    }

    @Test
    void aWriteIsSearchableAtOnceInTheServerAndInOtherProcessesAfterTheNextCommit() {
        try (MemoryIndex cli = open(dir)) {
            server.upsert(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1));
            assertThat(ids(server, "alice", "dentist")).containsExactly("a1"); // uncommitted, seen here
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(cli, "alice", "dentist").equals(List.of("a1")));

            server.delete("alice", "a1");
            assertThat(ids(server, "alice", "dentist")).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(cli, "alice", "dentist").isEmpty());
        }
    }

    @Test
    void aCliCommandGetsToWriteWhileTheServerKeepsWritingAndEachSeesTheOther() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        Thread load = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                int n = written.getAndIncrement();
                server.upsert(fact("s" + n, "u", "other", "server note " + n, 1));
            }
        });
        try (MemoryIndex cli = open(dir)) {
            await().until(() -> written.get() > 20);
            for (int i = 0; i < 3; i++) { // each waits for a door the server opens at a commit
                cli.upsert(fact("c" + i, "u", "other", "command note " + i, 1));
            }
            assertThat(ids(cli, "u", "command note")).contains("c0", "c1", "c2");
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(server, "u", "command note")
                    .containsAll(List.of("c0", "c1", "c2")));
        } finally {
            stop.set(true);
            load.join();
        }
        assertThat(server.count("u")).isEqualTo(written.get() + 3);
    }

    @Test
    void aPurgeIsCommittedAtOnce() {
        try (MemoryIndex cli = open(dir)) {
            server.upsert(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> ids(cli, "alice", "dentist").equals(List.of("a1")));
            server.deleteAll("alice");
            assertThat(ids(cli, "alice", "dentist")).isEmpty(); // no commit period to wait for
        }
    }

    @Test
    void closingCommitsWhatIsLeftAndLeavesNoMarker() {
        server.upsert(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1));
        assertThat(dir.resolve(HeldWriter.MARKER)).exists();
        server.close();
        assertThat(dir.resolve(HeldWriter.MARKER)).doesNotExist();
        server = open(dir);
        assertThat(server.created()).isFalse();
        assertThat(ids(server, "alice", "dentist")).containsExactly("a1");
    }

    @Test
    void anIndexLeftByACrashWithUncommittedChangesOpensEmptyToBeRebuiltFromTheStore() throws Exception {
        server.upsert(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1));
        try (MemoryIndex other = open(dir)) {
            assertThat(other.created()).as("the server is alive and holds its changes").isFalse();
        }
        // what the folder holds if the server dies now: its files and the marker, and no one holding the lock
        Path left = Files.createDirectory(dir.resolveSibling(dir.getFileName() + "-crashed"));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().equals("write.lock")).toList()) {
                Files.copy(file, left.resolve(file.getFileName()));
            }
        }
        assertThat(left.resolve(HeldWriter.MARKER)).exists();
        try (MemoryIndex reopened = open(left)) {
            assertThat(reopened.created()).as("must be rebuilt from the database").isTrue();
            assertThat(reopened.count("alice")).isZero();
            assertThat(left.resolve(HeldWriter.MARKER)).doesNotExist();
        }
    }
}
