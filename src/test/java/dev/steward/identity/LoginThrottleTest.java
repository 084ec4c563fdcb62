package dev.steward.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Wrong passwords lock an account and an address, for longer each time, and the owner is told. */
class LoginThrottleTest {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(now::get);

    void advance(Duration by) {
        now.set(now.get().plus(by));
    }

    @Test
    void tenWrongPasswordsFromManyAddressesLockTheAccount() {
        for (int i = 0; i < 9; i++) {
            assertThat(throttle.failed("Ann", "10.0.0." + i)).isEmpty();
        }
        assertThat(throttle.failed("ann", "10.0.0.9")).hasValueSatisfying(l -> {
            assertThat(l.who()).isEqualTo("account 'ann'");
            assertThat(l.retryAfterSeconds()).isEqualTo(60);
        });
        assertThat(throttle.check("ANN", "10.9.9.9")).as("from any address").isPresent();
        assertThat(throttle.check("bob", "10.9.9.9")).isEmpty();
    }

    @Test
    void tenWrongPasswordsFromOneAddressLockTheAddressForEveryAccount() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("user" + i, "203.0.113.5");
        }
        assertThat(throttle.check("someone-else", "203.0.113.5")).hasValueSatisfying(l ->
                assertThat(l.who()).isEqualTo("address 203.0.113.5"));
        assertThat(throttle.check("someone-else", "203.0.113.6")).isEmpty();
    }

    @Test
    void theLockExpiresThenEachFurtherFailureDoublesItUpToAQuarterOfAnHour() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("ann", "a" + i);
        }
        advance(Duration.ofSeconds(61));
        assertThat(throttle.check("ann", "b")).isEmpty();
        assertThat(throttle.failed("ann", "b")).hasValueSatisfying(l -> assertThat(l.retryAfterSeconds()).isEqualTo(120));
        assertThat(LoginThrottle.lockMillis(30)).isEqualTo(Duration.ofMinutes(15).toMillis());
    }

    @Test
    void aSuccessClearsTheCountAndTellsTheOwnerOnce() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("ann", "198.51.100.7");
        }
        advance(Duration.ofMinutes(2));
        assertThat(throttle.succeeded("ann", "192.0.2.1")).hasValueSatisfying(n -> {
            assertThat(n.failures()).isEqualTo(10);
            assertThat(n.wasLocked()).isTrue();
            assertThat(n.text()).contains("10 failed logins").contains("198.51.100.7").contains("was locked");
        });
        assertThat(throttle.succeeded("ann", "192.0.2.1")).isEmpty();
        assertThat(throttle.check("ann", "198.51.100.7")).isEmpty();
    }

    @Test
    void failuresAreForgottenAfterAnHourWithoutOne() {
        for (int i = 0; i < 9; i++) {
            throttle.failed("ann", "x");
        }
        advance(Duration.ofMinutes(61));
        assertThat(throttle.failed("ann", "x")).as("counting starts again").isEmpty();
    }
}
