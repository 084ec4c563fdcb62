package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A memory's context and speaker: how turns of a conversation are found. */
class MemoryContextSearchTest {
    @TempDir
    Path dir;
    MemoryIndexTest.CountingEmbedder model;
    MemoryIndex index;

    @BeforeEach
    void open() {
        model = new MemoryIndexTest.CountingEmbedder();
        index = new MemoryIndex(dir, model, Ranking.defaults().withRecencyWeight(0), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        index.close();
    }

    static MemoryDocument turn(String id, String speaker, String text, String context) {
        return new MemoryDocument(id, "u", "turn", null, speaker + ": " + text, List.of(id), 0, 1.0, speaker,
                context, null);
    }

    List<String> ids(String query, int k) {
        return index.search(MemoryQuery.of("u", query, k)).stream().map(h -> h.document().id()).toList();
    }

    @Test
    void aReplyIsFoundThroughTheQuestionItAnswersAndListsOnlyItself() {
        index.upsertAll(List.of(
                turn("t1", "Ana", "Where did you go on holiday?", "Ana: Where did you go on holiday?\nBo: Lisbon, by train."),
                turn("t2", "Bo", "Lisbon, by train.", "Ana: Where did you go on holiday?\nBo: Lisbon, by train."),
                turn("t3", "Ana", "The printer is jammed again.", "Ana: The printer is jammed again.")));

        List<MemoryHit> hits = index.search(MemoryQuery.of("u", "holiday", 3));

        // the reply shares no word with the query; its context does
        assertThat(hits).extracting(h -> h.document().id()).contains("t2").doesNotContain("t3");
        assertThat(hits).allSatisfy(h -> assertThat(h.sources()).containsExactly(h.document().id()));
    }

    @Test
    void aQueryThatNamesTheSpeakerPrefersWhatTheySaid() {
        index.upsertAll(List.of(
                turn("a", "Ana", "I started learning the cello last month.", null),
                turn("b", "Bo", "I started learning the cello last month.", null)));

        assertThat(ids("When did Bo start learning the cello?", 2)).containsExactly("b", "a");
        assertThat(ids("When did Ana start learning the cello?", 2)).containsExactly("a", "b");
    }

    @Test
    void theWiderConversationRanksButDoesNotFind() {
        String context = "Bo: Sounds great!";
        index.upsertAll(List.of(
                new MemoryDocument("sailing", "u", "turn", null, "Bo: Sounds great!", List.of("sailing"), 0, 1.0,
                        "Bo", context, "Ana: We rented a boat and went sailing on the lake.\nBo: Sounds great!"),
                new MemoryDocument("baking", "u", "turn", null, "Bo: Sounds great!", List.of("baking"), 0, 1.0,
                        "Bo", context, "Ana: I baked bread all weekend.\nBo: Sounds great!"),
                new MemoryDocument("lake", "u", "turn", null, "Ana: The lake was cold.", List.of("lake"), 0, 1.0,
                        "Ana", null, "Ana: I baked bread all weekend.\nAna: The lake was cold.")));

        assertThat(ids("what sounds great about sailing?", 3)).containsSubsequence("sailing", "baking");
        assertThat(ids("what sounds great about baking bread?", 3)).containsSubsequence("baking", "sailing");
        // words only in a memory's conversation do not make it a candidate
        assertThat(ids("bread", 3)).isEmpty();
    }

    @Test
    void speakerContextAndConversationSurviveTheRoundTripAndTheContextGetsItsOwnVector() {
        MemoryDocument withContext = new MemoryDocument("t1", "u", "turn", null, "Ana Lima: Yes, the blue one.",
                List.of("t1"), 0, 1.0, "Ana Lima", "Bo: Which car did you buy?\nAna Lima: Yes, the blue one.",
                "Bo: I saw you at the dealer.\nBo: Which car did you buy?\nAna Lima: Yes, the blue one.");
        index.upsert(withContext);
        index.upsert(turn("t2", "Bo", "Nice weather today.", null));

        assertThat(index.embedPending(10)).isEqualTo(2);
        assertThat(model.texts).hasValue(3); // two texts, one context
        assertThat(index.pending()).isZero();
        assertThat(index.search(MemoryQuery.of("u", "which car did Ana buy", 1)))
                .singleElement().satisfies(h -> assertThat(h.document()).isEqualTo(withContext));
    }

    @Test
    void everyCandidateIsWeighedByTheFeaturesTheRankingScores() {
        index.upsertAll(List.of(turn("t1", "Ana", "The boiler needs a service in May.", null),
                turn("t2", "Bo", "The garden needs weeding.", null)));

        List<MemoryIndex.Weighed> weighed = index.weigh(MemoryQuery.of("u", "when is the boiler service", 5));

        assertThat(weighed).isNotEmpty().allSatisfy(w -> assertThat(w.features()).hasSize(Ranking.Weights.FEATURES));
        MemoryIndex.Weighed boiler = weighed.stream().filter(w -> w.document().id().equals("t1")).findFirst()
                .orElseThrow();
        assertThat(boiler.features().get(0)).isEqualTo(1.0); // the best text match among the candidates
        assertThat(boiler.features().get(1)).isEqualTo(1.0); // no context: its text stands in
    }
}
