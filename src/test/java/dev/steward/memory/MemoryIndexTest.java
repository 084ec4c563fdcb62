package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
        assertThat(index.created()).isTrue();
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
    void aNewMemoryIsFoundByItsWordsAtOnceGetsItsVectorAndCanBeReplacedLater() {
        index.add(fact("e1", "u", null, "we booked the harbour tour for Thursday", 1));
        assertThat(ids(MemoryQuery.of("u", "harbour tour", 10))).containsExactly("e1");
        assertThat(index.pending()).as("the search embedded it").isZero();

        index.upsert(fact("e1", "u", null, "we moved the harbour tour to Friday", 1));
        assertThat(index.count("u")).isEqualTo(1);
        assertThat(index.search(MemoryQuery.of("u", "harbour tour", 10))).singleElement()
                .satisfies(hit -> assertThat(hit.document().text()).contains("Friday"));
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

    /** The hashing embedder, counting the texts it embeds: the stand-in for a model that must not load early. */
    static final class CountingEmbedder implements Embedder {
        final Embedder inner = Embedder.hashing(64);
        final java.util.concurrent.atomic.AtomicInteger texts = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public String name() {
            return "counting";
        }

        @Override
        public int dimension() {
            return inner.dimension();
        }

        @Override
        public float[] embed(String text) {
            texts.incrementAndGet();
            return inner.embed(text);
        }
    }

    @Test
    void writingRunsNoModelAndTheFirstSemanticSearchEmbedsWhatWaitsForItsUser() {
        index.close();
        CountingEmbedder model = new CountingEmbedder();
        index = new MemoryIndex(dir, model, Ranking.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        index.upsertAll(List.of(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1),
                fact("a2", "alice", "other", "Alice parks in the blue garage", 1),
                fact("b1", "bob", "people", "Bob's dentist is Dr Gomez", 1)));
        assertThat(model.texts).hasValue(0);
        assertThat(index.pending()).isEqualTo(3);

        assertThat(index.search(MemoryQuery.of("carol", "dentist", 5))).isEmpty();
        assertThat(model.texts).as("nothing to search, no model").hasValue(0);

        assertThat(ids(MemoryQuery.of("alice", "dentist", 5))).startsWith("a1");
        assertThat(model.texts).as("alice's two memories and the query").hasValue(3);
        assertThat(index.pending()).as("bob's memory waits for bob's search").isEqualTo(1);

        assertThat(index.embedPending(10)).isEqualTo(1);
        assertThat(index.pending()).isZero();
        // a replaced memory waits for its new vector; a deleted one is gone
        index.upsert(fact("a2", "alice", "other", "Alice parks in the green garage", 1));
        index.delete("bob", "b1");
        assertThat(index.pending()).isEqualTo(1);
        assertThat(ids(MemoryQuery.of("bob", "dentist", 5))).isEmpty();
    }

    @Test
    void inAServerSearchesOnlyEmbedTheQueryAndWaitingMemoriesAreFoundByTheirWords() {
        index.close();
        CountingEmbedder model = new CountingEmbedder();
        index = new MemoryIndex(dir, model, Ranking.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        index.embedInBackground(Duration.ofHours(1)); // a background that has not come round yet
        index.upsertAll(List.of(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1),
                fact("a2", "alice", "other", "Alice parks in the blue garage", 1)));

        assertThat(ids(MemoryQuery.of("alice", "dentist", 5))).contains("a1");
        assertThat(model.texts).as("the query alone").hasValue(1);
        assertThat(index.pending()).isEqualTo(2);
    }

    @Test
    void inAServerNewMemoriesGetTheirVectorsInTheBackground() {
        index.close();
        CountingEmbedder model = new CountingEmbedder();
        index = new MemoryIndex(dir, model, Ranking.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        index.embedInBackground(Duration.ofMillis(20));
        index.upsertAll(List.of(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1),
                fact("b1", "bob", "other", "Bob parks in the blue garage", 1)));

        await().atMost(Duration.ofSeconds(10)).until(() -> index.pending() == 0);
        assertThat(model.texts).hasValue(2);
    }

    @Test
    void aLexicalOnlyIndexNeverRunsTheModel() {
        index.close();
        CountingEmbedder model = new CountingEmbedder();
        index = new MemoryIndex(dir, model, Ranking.defaults().wordsOnly(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        index.upsert(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1));
        assertThat(ids(MemoryQuery.of("alice", "dentist", 5))).containsExactly("a1");
        assertThat(model.texts).hasValue(0);
    }

    @Test
    void aDamagedIndexOpensEmptyAndSaysItMustBeRebuilt() throws Exception {
        index.upsert(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1));
        index.close();
        // What a power cut between unsynced writes can leave: the newest segments file cut short.
        Path segments;
        try (var files = java.nio.file.Files.list(dir)) {
            segments = files.filter(f -> f.getFileName().toString().startsWith("segments_"))
                    .max(java.util.Comparator.naturalOrder()).orElseThrow();
        }
        java.nio.file.Files.write(segments, java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(segments), 10));

        index = new MemoryIndex(dir, Embedder.hashing(64), Ranking.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(index.created()).as("the store rebuilds a created index").isTrue();
        assertThat(ids(MemoryQuery.of("alice", "dentist", 5))).isEmpty();
        index.upsert(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1));
        assertThat(ids(MemoryQuery.of("alice", "dentist", 5))).containsExactly("a1");
    }

    @Test
    void manyThreadsWritingAtOnceAllLandAndEachSeesItsOwnWrite() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> work = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                String id = "n" + t;
                work.add(threads.submit(() -> {
                    index.upsert(fact(id, "alice", "other", "note number " + id + " about the harbour", 1));
                    return ids(MemoryQuery.of("alice", id, 50));
                }));
            }
            for (int t = 0; t < 16; t++) {
                assertThat(work.get(t).get()).contains("n" + t);
            }
        }
        assertThat(ids(MemoryQuery.of("alice", "harbour", 50))).hasSize(16);
    }

    @Test
    void twoProcessesShareOneIndexAndSeeEachOthersChanges() throws Exception {
        // a second MemoryIndex on the same directory stands for a second process (steward serve and a CLI command)
        try (MemoryIndex other = new MemoryIndex(dir, Embedder.hashing(64), Ranking.defaults(),
                Clock.fixed(NOW, ZoneOffset.UTC))) {
            assertThat(other.created()).isFalse();
            index.upsert(fact("a1", "alice", "people", "Alice's dentist is Dr Gomez", 1));
            assertThat(other.search(MemoryQuery.of("alice", "dentist", 5))).extracting(h -> h.document().id())
                    .containsExactly("a1");
            other.delete("alice", "a1");
            assertThat(ids(MemoryQuery.of("alice", "dentist", 5))).isEmpty();

            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> work = new ArrayList<>();
            for (MemoryIndex writer : List.of(index, other)) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        writer.upsert(fact(writer.hashCode() + "-" + i, "u", "other", "shared note " + i, 1));
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            pool.shutdown();
            assertThat(index.search(MemoryQuery.of("u", "shared note", 100))).hasSize(40);
            assertThat(other.search(MemoryQuery.of("u", "shared note", 100))).hasSize(40);
        }
    }
}
