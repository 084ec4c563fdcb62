package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.router.ModelException.Kind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ModelExceptionTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void retryAfterInSeconds() {
        assertThat(ModelException.parseRetryAfter("30", NOW)).isEqualTo(Duration.ofSeconds(30));
        assertThat(ModelException.parseRetryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
        assertThat(ModelException.parseRetryAfter("1.5", NOW)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void retryAfterAsHttpDate() {
        assertThat(ModelException.parseRetryAfter("Sun, 01 Mar 2026 12:01:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(90));
        assertThat(ModelException.parseRetryAfter("Sun, 01 Mar 2026 11:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
    }

    @Test
    void unreadableRetryAfterIsAbsent() {
        assertThat(ModelException.parseRetryAfter(null, NOW)).isNull();
        assertThat(ModelException.parseRetryAfter("", NOW)).isNull();
        assertThat(ModelException.parseRetryAfter("soon", NOW)).isNull();
        assertThat(ModelException.parseRetryAfter("-5", NOW)).isNull();
    }

    @Test
    void kindsDecideWhatIsWorthRetrying() {
        for (Kind kind : new Kind[] {Kind.CONNECT, Kind.TIMEOUT, Kind.STALLED, Kind.STREAM_BROKEN, Kind.RATE_LIMITED,
                Kind.UNAVAILABLE}) {
            ModelException e = new ModelException(kind, "x");
            assertThat(e.retryable()).as(kind.name()).isTrue();
            assertThat(e.retrySameProvider()).as(kind.name()).isTrue();
        }
        ModelException malformed = new ModelException(Kind.MALFORMED, "x");
        assertThat(malformed.retryable()).isTrue();
        assertThat(malformed.retrySameProvider()).isFalse();
        for (Kind kind : new Kind[] {Kind.AUTH, Kind.NOT_FOUND, Kind.BAD_REQUEST, Kind.CANCELLED}) {
            assertThat(new ModelException(kind, "x").retryable()).as(kind.name()).isFalse();
        }
    }

    @Test
    void theOldConstructorsStillWork() {
        ModelException e = new ModelException("offline model failed", true);
        assertThat(e.kind()).isEqualTo(Kind.OTHER);
        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isZero();
        assertThat(e.retryAfter()).isEmpty();
        ModelException withStatus = new ModelException(Kind.RATE_LIMITED, "slow down", 429, Duration.ofSeconds(2), null);
        assertThat(withStatus.status()).isEqualTo(429);
        assertThat(withStatus.retryAfter()).contains(Duration.ofSeconds(2));
    }
}
