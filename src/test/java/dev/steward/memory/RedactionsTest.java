package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.support.PrivacyFilter;
import org.junit.jupiter.api.Test;

/** Redaction with recent answers kept gives, for every text, what the privacy filter gives. */
class RedactionsTest {
    final PrivacyFilter filter = new PrivacyFilter();
    final Redactions redactions = new Redactions(filter);

    @Test
    void aLongTextAskedAgainIsRedactedTheSameAndAnotherTextGetsItsOwnRedaction() {
        String context = "Memory: the team Lighthouse ships on Friday; Alice leads Harbor; " .repeat(3);
        String withCard = context + "my card is 4111 1111 1111 1111";
        String withKey = context + "use sk-proj-abcdefghijklmnop1234 please";
        assertThat(withCard.length()).isGreaterThanOrEqualTo(Redactions.CACHED_FROM);

        for (int i = 0; i < 2; i++) {
            assertThat(redactions.redact(withCard)).isEqualTo(filter.redact(withCard)).doesNotContain("4111")
                    .endsWith("[card number removed]");
            assertThat(redactions.redact(withKey)).isEqualTo(filter.redact(withKey)).doesNotContain("sk-proj");
            assertThat(redactions.redact(context)).isEqualTo(context);
        }
    }

    @Test
    void shortTextsAndNothingPassThroughTheFilter() {
        assertThat(redactions.redact(null)).isNull();
        assertThat(redactions.redact("")).isEmpty();
        assertThat(redactions.redact("pin 1234-5678-9012-3456")).isEqualTo(filter.redact("pin 1234-5678-9012-3456"));
    }
}
