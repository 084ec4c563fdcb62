package dev.steward.config.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

class TotpTest {
    /** RFC 6238 appendix B's SHA-1 seed, "12345678901234567890", in base32. */
    private static final String RFC_SECRET = new Base32().encodeToString(
            "12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    @Test
    void matchesTheTestVectorsOfRfc6238() {
        // The RFC lists 8 digits; a 6-digit code is their last six.
        assertThat(Totp.code(RFC_SECRET, 59)).isEqualTo("287082");
        assertThat(Totp.code(RFC_SECRET, 1111111109)).isEqualTo("081804");
        assertThat(Totp.code(RFC_SECRET, 1234567890)).isEqualTo("005924");
        assertThat(Totp.code(RFC_SECRET, 20000000000L)).isEqualTo("353130");
    }

    @Test
    void acceptsTheNeighbouringStepsOnlyAndNothingThatIsNotSixDigits() {
        String secret = Totp.newSecret();
        long now = 1_800_000_000L;
        assertThat(Totp.verify(secret, Totp.code(secret, now), now)).isTrue();
        assertThat(Totp.verify(secret, Totp.code(secret, now - 30), now)).isTrue();
        assertThat(Totp.verify(secret, Totp.code(secret, now + 30), now)).isTrue();
        assertThat(Totp.verify(secret, Totp.code(secret, now - 90), now)).isFalse();
        assertThat(Totp.verify(secret, "12345", now)).isFalse();
        assertThat(Totp.verify(secret, "abcdef", now)).isFalse();
        assertThat(Totp.uri("Steward", "local", secret)).startsWith("otpauth://totp/Steward:local?secret=" + secret);
    }
}
