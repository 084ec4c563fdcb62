package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second hop: a candidate is also judged by how close it is in meaning to the search's first results. Fitted on
 * LoCoMo, closeness to them counts against a candidate (a turn that says what the best results already say, or that
 * resembles everything, like "That's great!", adds nothing), and a turn that brings something of its own is preferred.
 */
class SecondHopTest {
    @TempDir
    Path dir;

    static CandidateSearch.Candidate candidate(int doc, double[] features, float... vector) {
        CandidateSearch.Candidate c = new CandidateSearch.Candidate(doc);
        c.features = features;
        c.textVector = vector.length == 0 ? null : vector;
        return c;
    }

    /** First-hop features whose plain sum is {@code strength}, second hop not yet known. */
    static double[] firstHop(double strength) {
        return new double[] {strength, 0, 0, 0, 0, 0, 0, 0};
    }

    @Test
    void theFeatureIsTheMeanCosineWithTheBestCandidatesScaledOverTheCandidates() {
        List<CandidateSearch.Candidate> all = new java.util.ArrayList<>();
        for (int i = 0; i < SecondHop.SEEDS; i++) {
            all.add(candidate(i, firstHop(1), 1, 0)); // the seeds, all alike
        }
        CandidateSearch.Candidate alike = candidate(100, firstHop(0.1), 0.8f, 0.6f);
        CandidateSearch.Candidate apart = candidate(101, firstHop(0.1), 0, 1);
        CandidateSearch.Candidate noVector = candidate(102, firstHop(0.1));
        all.addAll(List.of(alike, apart, noVector));

        SecondHop.score(all);

        int hop = Ranking.Weights.FEATURES - 1;
        assertThat(all.get(0).features[hop]).isEqualTo(1.0); // a seed, compared with the other seeds only
        assertThat(alike.features[hop]).isCloseTo(0.8, within(1e-6));
        assertThat(apart.features[hop]).isEqualTo(0.0);
        assertThat(noVector.features[hop]).isEqualTo(0.0);
    }

    @Test
    void withoutVectorsThereIsNoSecondHop() {
        List<CandidateSearch.Candidate> all = List.of(candidate(0, firstHop(1)), candidate(1, firstHop(0.5)));

        SecondHop.score(all);

        assertThat(all).allSatisfy(c -> assertThat(c.features[Ranking.Weights.FEATURES - 1]).isZero());
    }

    /** Vectors chosen by hand: the question and the pottery turns point one way, the two others each their own. */
    static final class HandPicked implements Embedder {
        static final Map<String, float[]> VECTORS = Map.of(
                "what activities does Mel do", unit(1, 0, 0),
                "Mel: pottery is one of my activities", unit(0.9f, 0.4f, 0),
                "Mel: painting is one of my activities", unit(0.9f, 0.4f, 0),
                "Mel: running is one of my activities", unit(0.9f, 0.4f, 0),
                "Mel: that sounds lovely, really", unit(0.70f, 0.714f, 0),
                "Mel: we camped near the lake", unit(0.69f, 0, 0.724f));

        static float[] unit(float x, float y, float z) {
            float n = (float) Math.sqrt(x * x + y * y + z * z);
            return new float[] {x / n, y / n, z / n};
        }

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public float[] embed(String text) {
            return VECTORS.get(text).clone();
        }
    }

    @Test
    void ofTwoTurnsAsCloseToTheQuestionTheOneThatRepeatsTheBestResultsRanksBelowTheOneThatAddsSomething() {
        List<MemoryDocument> turns = HandPicked.VECTORS.keySet().stream().filter(t -> t.startsWith("Mel:"))
                .map(t -> new MemoryDocument(t, "u", "turn", null, t, List.of(t), 0, 1.0, "Mel", null, null))
                .toList();
        Ranking.Weights fitted = Ranking.FITTED;
        Ranking.Weights firstHopOnly = new Ranking.Weights(fitted.textWords(), fitted.contextWords(),
                fitted.textMeaning(), fitted.textCosine(), fitted.contextMeaning(), fitted.speakerNamed(),
                fitted.conversationWords(), 0, fitted.bias());

        List<String> withSecondHop = ranked(Ranking.defaults(), turns);
        List<String> withoutIt = ranked(Ranking.defaults().withWeights(firstHopOnly), turns);

        // "that sounds lovely" is a shade closer to the question than the camping trip, and closer still to the
        // pottery, painting and running turns that lead the list
        assertThat(withoutIt).containsSubsequence("Mel: that sounds lovely, really", "Mel: we camped near the lake");
        assertThat(withSecondHop).containsSubsequence("Mel: we camped near the lake", "Mel: that sounds lovely, really");
        assertThat(withSecondHop.subList(0, 3)).allSatisfy(t -> assertThat(t).endsWith("one of my activities"));
    }

    private List<String> ranked(Ranking ranking, List<MemoryDocument> turns) {
        Path at = dir.resolve("index-" + ranking.weights().secondHop());
        try (MemoryIndex index = new MemoryIndex(at, new HandPicked(), ranking.withRecencyWeight(0),
                Clock.systemUTC())) {
            index.upsertAll(turns);
            return index.search(MemoryQuery.of("u", "what activities does Mel do", 5)).stream()
                    .map(h -> h.document().id()).toList();
        }
    }
}
