package dev.steward.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.memory.MemoryDocument;
import dev.steward.memory.Ranking;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RankingFitTest {
    static RankingFit.Candidate candidate(String id, double... features) {
        return new RankingFit.Candidate(new MemoryDocument(id, "u", "turn", null, id, List.of(id), 0, 1), features);
    }

    /** Questions whose evidence stands out by the second feature only; the others are noise. */
    static List<RankingFit.Sample> samples(int questions, long seed) {
        Random random = new Random(seed);
        List<RankingFit.Sample> samples = new ArrayList<>();
        for (int q = 0; q < questions; q++) {
            List<RankingFit.Candidate> candidates = new ArrayList<>();
            for (int c = 0; c < 20; c++) {
                boolean evidence = c == 0;
                candidates.add(candidate("q" + q + "c" + c, random.nextDouble(),
                        evidence ? 0.7 + 0.3 * random.nextDouble() : 0.6 * random.nextDouble(), random.nextDouble(),
                        random.nextDouble(), random.nextDouble(), random.nextInt(2), random.nextDouble(), random.nextDouble()));
            }
            samples.add(RankingFit.Sample.of(new LocomoBench.Question("c", "q" + q, 4, List.of("q" + q + "c0"),
                    List.of()), candidates));
        }
        return samples;
    }

    @Test
    void learnsTheFeatureThatSeparatesEvidenceAndRanksHeldOutQuestionsByIt() {
        Ranking.Weights w = RankingFit.fit(samples(100, 1));

        assertThat(w.contextWords()).isGreaterThan(5);
        assertThat(Math.abs(w.contextWords())).isGreaterThan(3 * Math.abs(w.textWords()));
        assertThat(samples(50, 2)).allSatisfy(s -> assertThat(s.ranked(w).recall(1)).isEqualTo(1.0));
    }

    @Test
    void refusesSamplesWithoutEvidence() {
        List<RankingFit.Sample> none = List.of(RankingFit.Sample.of(
                new LocomoBench.Question("c", "q", 4, List.of("elsewhere"), List.of()), List.of(candidate("a",
                        1, 1, 1, 1, 1, 1, 1, 1))));

        assertThatThrownBy(() -> RankingFit.fit(none)).hasMessageContaining("nothing to fit");
    }
}
