package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the real in-process model: meaning is found without shared words. */
class SemanticSearchTest {
    @TempDir
    Path dir;

    @Test
    void findsAMemoryThatSharesNoWordWithTheQuery() {
        Embedder model = Embedder.production();
        try (MemoryIndex index = new MemoryIndex(dir, model, Ranking.defaultsFor(model), Clock.systemUTC())) {
            long now = System.currentTimeMillis();
            List<String> texts = List.of(
                    "Sam bought a new car last week",
                    "The quarterly report is due on Friday",
                    "Lena is allergic to peanuts",
                    "The office wifi password changes every month",
                    "Our biggest customer is based in Lisbon");
            for (int i = 0; i < texts.size(); i++) {
                index.upsert(new MemoryDocument("m" + i, "u", "fact", "other", texts.get(i), List.of(), now, 1.0));
            }
            assertThat(index.search(MemoryQuery.of("u", "automobile purchase", 1)))
                    .extracting(h -> h.document().id()).containsExactly("m0");
            assertThat(index.search(MemoryQuery.of("u", "food intolerance", 1)))
                    .extracting(h -> h.document().id()).containsExactly("m2");
            // the nearest memories are not necessarily related ones: the unrelated stay out
            assertThat(index.search(MemoryQuery.of("u", "food intolerance", 5)))
                    .extracting(h -> h.document().id()).containsExactly("m2");
            assertThat(index.search(MemoryQuery.of("v", "automobile purchase", 5))).isEmpty();
        }
    }

    @Test
    void aMemoryTheModelJudgesUnrelatedIsLeftOutEvenAboveTheSimilarityThreshold() {
        Embedder model = Embedder.production();
        try (MemoryIndex index = new MemoryIndex(dir, model, Ranking.defaultsFor(model), Clock.systemUTC())) {
            long now = System.currentTimeMillis();
            index.upsert(new MemoryDocument("f", "u", "fact", "company", "Your company is Acme Corp. (company)",
                    List.of(), now, 0.9));
            index.upsert(new MemoryDocument("e", "u", "episode", null,
                    "You said: the quarterly planning meeting moved to Thursday", List.of(), now, 1.0));

            assertThat(index.search(MemoryQuery.of("u", "planning meeting", 5)))
                    .extracting(h -> h.document().id()).containsExactly("e");
            // the company fact was a candidate (close enough by cosine), and the model left it out
            assertThat(index.weigh(MemoryQuery.of("u", "planning meeting", 5)))
                    .extracting(w -> w.document().id()).containsExactlyInAnyOrder("e", "f");
        }
    }
}
