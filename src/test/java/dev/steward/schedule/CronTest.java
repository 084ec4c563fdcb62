package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.support.UsageException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CronTest {
    @Test
    void describesExpressionsInWords() {
        assertThat(Cron.parse("0 7 * * *", "UTC").description()).isEqualTo("every day at 07:00");
        assertThat(Cron.parse("* * * * *", "UTC").description()).isEqualTo("every minute");
        assertThat(Cron.parse("@daily", "UTC").description()).isEqualTo("every day at 00:00");
    }

    @Test
    void macrosMeanTheirClassicExpressions() {
        Instant at = Instant.parse("2026-03-04T10:15:00Z");
        assertThat(Cron.parse("@hourly", "UTC").next(at)).hasValueSatisfying(
                t -> assertThat(t.toInstant()).isEqualTo(Instant.parse("2026-03-04T11:00:00Z")));
        assertThat(Cron.parse("@weekly", "UTC").next(at)).hasValueSatisfying(
                t -> assertThat(t.toInstant()).isEqualTo(Instant.parse("2026-03-08T00:00:00Z")));
    }

    @Test
    void theNextRunIsInTheSchedulesZone() {
        var next = Cron.parse("0 7 * * *", "Europe/Berlin").next(Instant.parse("2026-07-01T06:00:00Z"));
        assertThat(next).hasValueSatisfying(t -> assertThat(t.toInstant()).isEqualTo(Instant.parse("2026-07-02T05:00:00Z")));
    }

    @Test
    void aBadExpressionNamesTheFieldAndItsRange() {
        assertThatThrownBy(() -> Cron.parse("61 * * * *", null)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("minute 61 is out of range 0–59");
        assertThatThrownBy(() -> Cron.parse("0 25 * * *", null)).hasMessageStartingWith("hour 25 is out of range 0–23");
        assertThatThrownBy(() -> Cron.parse("0 0 * 13 *", null)).hasMessageStartingWith("month 13 is out of range 1–12");
        assertThatThrownBy(() -> Cron.parse("0 0 * * x", null)).hasMessageStartingWith("day of week 'x' is not valid");
        assertThatThrownBy(() -> Cron.parse("* * *", null)).hasMessageContaining("has 3");
        assertThatThrownBy(() -> Cron.parse("@sometimes", null)).hasMessageContaining("unknown cron macro");
        assertThatThrownBy(() -> Cron.parse("@daily", "Mars/Base")).hasMessageContaining("unknown time zone 'Mars/Base'");
    }
}
