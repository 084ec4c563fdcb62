package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryIndexTest {
    static final long DAY = Duration.ofDays(1).toMillis();
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @TempDir
    Path dir;
    MemoryIndex index;

    @BeforeEach
    void open() {
        index = new MemoryIndex(dir, Embedder.hashing(64), Ranking.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        index.close();
    }

    static MemoryDocument fact(String id, String user, String category, String text, long daysAgo) {
        return new MemoryDocument(id, user, "fact", category, text, List.of("m-" + id),
                NOW.toEpochMilli() - daysAgo * DAY, 1.0);
    }

    List<String> ids(MemoryQuery q) {
        return index.search(q).stream().map(h -> h.document().id()).toList();
    }

    @Test
    void aUserNeverSeesAnotherUsersMemories() {
        index.upsert(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez on Elm Street", 1));
        index.upsert(fact("b1", "bob", "people", "Bob's dentist is Dr Gomez on Elm Street", 1));
        index.upsert(fact("b2", "bob", "projects", "dentist appointment reminder for the Gomez project", 1));

        assertThat(ids(MemoryQuery.of("alice", "dentist Gomez Elm Street", 10))).containsExactly("a1");
        assertThat(ids(MemoryQuery.of("bob", "dentist Gomez Elm Street", 10))).containsExactlyInAnyOrder("b1", "b2");
        assertThat(ids(MemoryQuery.of("carol", "dentist Gomez Elm Street", 10))).isEmpty();
        // the same memory id under two users is two memories
        index.upsert(fact("same", "alice", "other", "alice owns the blue bicycle", 1));
        index.upsert(fact("same", "bob", "other", "bob owns the red bicycle", 1));
        assertThat(index.search(MemoryQuery.of("alice", "bicycle", 10))).extracting(h -> h.document().text())
                .containsExactly("alice owns the blue bicycle");
        index.deleteAll("bob");
        assertThat(ids(MemoryQuery.of("bob", "dentist bicycle", 10))).isEmpty();
        assertThat(ids(MemoryQuery.of("alice", "dentist bicycle", 10))).containsExactlyInAnyOrder("a1", "same");
    }

    @Test
    void filtersByCategoryKindAndTime() {
        index.upsert(fact("f1", "u", "preferences", "likes green tea in the morning", 1));
        index.upsert(fact("f2", "u", "people", "Maria likes green tea too", 40));
        index.upsert(new MemoryDocument("e1", "u", "episode", null, "ordered green tea for the office", List.of("t-9"),
                NOW.toEpochMilli() - 10 * DAY, 0.8));

        assertThat(ids(new MemoryQuery("u", "green tea", 10, Set.of("preferences"), Set.of(), null, null)))
                .containsExactly("f1");
        assertThat(ids(new MemoryQuery("u", "green tea", 10, Set.of("preferences", "people"), Set.of(), null, null)))
                .containsExactlyInAnyOrder("f1", "f2");
        assertThat(ids(new MemoryQuery("u", "green tea", 10, Set.of(), Set.of("episode"), null, null)))
                .containsExactly("e1");
        long from = NOW.toEpochMilli() - 20 * DAY;
        assertThat(ids(new MemoryQuery("u", "green tea", 10, Set.of(), Set.of(), from, null)))
                .containsExactlyInAnyOrder("f1", "e1");
        assertThat(ids(new MemoryQuery("u", "green tea", 10, Set.of(), Set.of(), null, from)))
                .containsExactly("f2");
        assertThat(index.search(new MemoryQuery("u", "green tea", 10, Set.of(), Set.of("episode"), null, null)).get(0)
                .document()).isEqualTo(new MemoryDocument("e1", "u", "episode", null, "ordered green tea for the office",
                List.of("t-9"), NOW.toEpochMilli() - 10 * DAY, 0.8));
    }

    @Test
    void upsertReplacesAndDeleteForgets() {
        index.upsert(fact("f1", "u", "preferences", "prefers window seats on flights", 1));
        index.upsert(fact("f1", "u", "preferences", "prefers aisle seats on flights", 1));
        List<MemoryHit> hits = index.search(MemoryQuery.of("u", "seats on flights", 10));
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).document().text()).isEqualTo("prefers aisle seats on flights");
        assertThat(ids(MemoryQuery.of("u", "window", 10))).doesNotContain("f1").isEmpty();

        index.delete("u", "f1");
        assertThat(ids(MemoryQuery.of("u", "aisle seats flights", 10))).isEmpty();
    }

    @Test
    void recentAndConfidentMemoriesRankFirstAmongEquals() {
        index.upsert(fact("old", "u", "projects", "the launch is planned for spring", 300));
        index.upsert(fact("new", "u", "projects", "the launch is planned for spring", 2));
        assertThat(ids(MemoryQuery.of("u", "when is the launch planned", 2))).containsExactly("new", "old");
        index.upsert(new MemoryDocument("new", "u", "fact", "projects", "the launch is planned for spring", List.of(),
                NOW.toEpochMilli() - 300 * DAY, 0.3));
        assertThat(ids(MemoryQuery.of("u", "when is the launch planned", 2))).containsExactly("old", "new");
    }

    @Test
    void survivesReopenAndConcurrentWriters() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            work.add(pool.submit(() -> {
                for (int i = 0; i < 25; i++) {
                    index.upsert(fact(thread + "-" + i, "u", "other", "note number " + i + " from writer " + thread, 1));
                    index.search(MemoryQuery.of("u", "note from writer", 3));
                }
            }));
        }
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        assertThat(index.search(MemoryQuery.of("u", "note", 500))).hasSize(100);
        index.close();
        index = new MemoryIndex(dir, Embedder.hashing(64), Ranking.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(index.search(MemoryQuery.of("u", "note", 500))).hasSize(100);
    }
}
