package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which of a found memory's sources a search lists first. */
class MemorySourceOrderTest {

    static MemoryHit hit(double score, String... refs) {
        return new MemoryHit(new MemoryDocument("m-" + String.join("-", refs), "u", "turn", null, "text",
                List.of(refs), 0, 1.0), score);
    }

    @Test
    void theTurnTheBestMemoriesShareIsListedFirst() {
        // three windows of a turn and its neighbours; t3 is in all three, t2 and t4 in two
        List<MemoryHit> hits = SourceOrder.apply(List.of(hit(1.0, "t1", "t2", "t3"), hit(0.9, "t2", "t3", "t4"),
                hit(0.8, "t3", "t4", "t5")));

        assertThat(hits).extracting(MemoryHit::sources).containsExactly(List.of("t3", "t2", "t1"),
                List.of("t3", "t2", "t4"), List.of("t3", "t4", "t5"));
        assertThat(hits).extracting(MemoryHit::score).containsExactly(1.0, 0.9, 0.8);
        // what the memory cites is unchanged; only the order of this search's listing is
        assertThat(hits.getFirst().document().sourceRefs()).containsExactly("t1", "t2", "t3");
    }

    @Test
    void sourcesNoBestMemoryCitesKeepTheirStoredOrderAfterTheOthers() {
        List<MemoryHit> hits = SourceOrder.apply(List.of(hit(1.0, "a1", "a2"), hit(0.9, "b1"), hit(0.8, "c1"),
                hit(0.7, "d1", "a2", "d2")));

        assertThat(hits.get(3).sources()).containsExactly("a2", "d1", "d2");
        assertThat(SourceOrder.apply(List.of(hit(1.0, "x", "y"))).getFirst().sources()).containsExactly("x", "y");
        assertThat(SourceOrder.apply(List.of())).isEmpty();
    }

    @Test
    void theIndexListsEachFoundMemorysSourcesInThatOrder(@TempDir Path dir) {
        try (MemoryIndex index = new MemoryIndex(dir, Embedder.hashing(64), Ranking.defaults().withRecencyWeight(0),
                Clock.systemUTC())) {
            // windows of a conversation: each turn with the one before and after it
            index.upsertAll(List.of(
                    window("w1", "Anna: how was your weekend?\nBen: I ran the marathon in Porto", "t1", "t2"),
                    window("w2", "Ben: I ran the marathon in Porto\nAnna: a marathon, wow!", "t2", "t3"),
                    window("w3", "Anna: a marathon, wow!\nBen: my knees hurt now", "t3", "t4")));

            List<MemoryHit> hits = index.search(MemoryQuery.of("u", "who ran the marathon in Porto?", 3));

            assertThat(hits).extracting(h -> h.document().id()).containsExactly("w2", "w1", "w3");
            assertThat(hits.getFirst().sources()).containsExactly("t2", "t3");
            assertThat(hits.get(1).sources()).containsExactly("t2", "t1");
        }
    }

    static MemoryDocument window(String id, String text, String... refs) {
        return new MemoryDocument(id, "u", "turn", null, text, List.of(refs), 0, 1.0);
    }
}
