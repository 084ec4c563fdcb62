package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeaturesTest {
    static final double NONE = Double.NaN;

    @Test
    void wordsAreAFractionOfTheBestAndCosinesAreScaledOverTheCandidates() {
        double[][] rows = Features.of(List.of(
                new Features.Raw(4, 2, 5, 0.9, 0.8, true),
                new Features.Raw(2, 8, 10, 0.7, 0.6, false),
                new Features.Raw(0, 0, 0, 0.8, 0.7, false)));

        assertThat(rows[0]).containsExactly(1.0, 0.25, 1.0, 0.9, 1.0, 1.0, 0.5, 0.0);
        assertThat(rows[1]).containsExactly(0.5, 1.0, 0.0, 0.7, 0.0, 0.0, 1.0, 0.0);
        assertThat(rows[2][2]).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aMemoryWithoutContextConversationOrVectorTakesNeutralValues() {
        double[][] rows = Features.of(List.of(
                new Features.Raw(3, NONE, NONE, NONE, NONE, false),
                new Features.Raw(6, 6, 6, 0.8, 0.8, false)));

        // no context: its text's words stand in, and for the conversation the context's; no vector yet: counted as
        // the least similar candidate
        assertThat(rows[0]).containsExactly(0.5, 0.5, 0.0, 0.8, 0.0, 0.0, 0.5, 0.0);
    }

    @Test
    void withoutVectorsTheMeaningFeaturesAreZero() {
        double[][] rows = Features.of(List.of(new Features.Raw(1, 1, 1, NONE, NONE, false)));

        assertThat(rows[0]).containsExactly(1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0);
    }
}
