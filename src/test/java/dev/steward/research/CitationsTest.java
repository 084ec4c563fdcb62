package dev.steward.research;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quote check: a claim stands only when its quote is in the source it cites. */
class CitationsTest {
    static final Map<Integer, Source> SOURCES = Map.of(1, new Source(1, "About", "https://a.example/",
            "The factory’s   new hall opened in 2019 — on time.\nIt employs 140 people."));

    @Test
    void aQuoteInItsSourceStandsWhateverItsCaseSpacesQuotesAndDashes() {
        assertThat(Citations.problem("the factory's new hall opened in 2019 - on time", 1, SOURCES)).isEmpty();
        assertThat(Citations.problem("\"It employs 140 people.\"", 1, SOURCES)).isEmpty();
    }

    @Test
    void aQuoteNotInItsSourceTooShortOrCitingNoSourceFalls() {
        assertThat(Citations.problem("It employs 150 people.", 1, SOURCES)).hasValueSatisfying(
                why -> assertThat(why).contains("not in [1] https://a.example/"));
        assertThat(Citations.problem("in 2019", 1, SOURCES)).hasValue("its quote is too short to check");
        assertThat(Citations.problem("It employs 140 people.", 2, SOURCES)).hasValueSatisfying(
                why -> assertThat(why).contains("cites [2], which is not a source"));
    }

    @Test
    void aCitationEndsItsSentenceBeforeTheFullStop() {
        assertThat(ReportWriter.cited("It opened in 2019.", 3)).isEqualTo("It opened in 2019 [3].");
        assertThat(ReportWriter.cited("Is it open", 1)).isEqualTo("Is it open [1].");
    }
}
