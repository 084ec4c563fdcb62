package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steward.config.AutomationConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.store.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes of steward serve on one PostgreSQL database: a due schedule runs on one of them, once. */
@ExtendWith(TestPostgres.class)
class SchedulesOnPostgresTest {
    @TempDir
    Path first;
    @TempDir
    Path second;

    @Test
    void aDueScheduleRunsOnceAcrossTwoNodes(DatabaseConfig postgres) {
        var settings = new AutomationConfig.Settings(null, 1, null, null, null, null);
        try (AutomationFixture a = new AutomationFixture(first, postgres, settings);
             AutomationFixture b = new AutomationFixture(second, postgres, settings)) {
            a.automation.schedules().add("both", "* * * * *", "status", null, "UTC", false, "local");
            a.automation.start();
            b.automation.start();
            a.clock.advance(Duration.ofSeconds(31));
            b.clock.advance(Duration.ofSeconds(31));
            a.automation.checkNow();
            b.automation.checkNow();
            await().atMost(Duration.ofSeconds(60)).until(() -> a.automation.schedules().history("both", 10).stream()
                    .anyMatch(r -> r.status().equals("done")));
            a.automation.checkNow();
            b.automation.checkNow();
            // Both nodes have polled again; neither may have run the same due time a second time.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
            assertThat(a.automation.schedules().history("both", 10)).hasSize(1);
            assertThat(b.automation.schedules().json(b.automation.schedules().get("both")).path("next_run").asText())
                    .isEqualTo("2026-05-04T07:01:00Z");
        }
    }

    @Test
    void anEveryMinuteScheduleRunsOnceAMinuteAcrossTwoNodes(DatabaseConfig postgres) {
        var settings = new AutomationConfig.Settings(null, 1, null, null, null, null);
        try (AutomationFixture a = new AutomationFixture(first, postgres, settings);
             AutomationFixture b = new AutomationFixture(second, postgres, settings)) {
            a.automation.schedules().add("tick", "* * * * *", "status", null, "UTC", false, "local");
            a.automation.start();
            b.automation.start();
            a.clock.advance(Duration.ofSeconds(31));
            b.clock.advance(Duration.ofSeconds(31));
            for (int minute = 1; minute <= 3; minute++) {
                // Both nodes look, in either order; each minute's occurrence runs on one of them.
                (minute % 2 == 0 ? b : a).automation.checkNow();
                (minute % 2 == 0 ? a : b).automation.checkNow();
                long expected = minute;
                await().atMost(Duration.ofSeconds(60)).until(() -> a.automation.schedules().history("tick", 10)
                        .stream().filter(r -> r.status().equals("done")).count() == expected);
                if (minute < 3) {
                    a.clock.advance(Duration.ofMinutes(1));
                    b.clock.advance(Duration.ofMinutes(1));
                }
            }
            a.automation.checkNow();
            b.automation.checkNow();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
            assertThat(b.automation.schedules().history("tick", 10)).as("three minutes, three runs, one a minute")
                    .hasSize(3)
                    .extracting(r -> r.startedAt() / 60_000).doesNotHaveDuplicates();
        }
    }
}
