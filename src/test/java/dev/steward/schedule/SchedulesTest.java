package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.config.AutomationConfig;
import dev.steward.support.UsageException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulesTest {
    @TempDir
    Path home;
    AutomationFixture steward;
    Schedules schedules;

    @BeforeEach
    void setUp() {
        steward = new AutomationFixture(home, new AutomationConfig.Settings(AutomationConfig.MissedRuns.ONCE, 1,
                null, null, null, null));
        schedules = steward.automation.schedules();
    }

    @AfterEach
    void tearDown() {
        steward.close();
    }

    private List<AutomationRun> runsOf(String name) {
        return schedules.history(name, 50);
    }

    @Test
    void aDueScheduleRunsItsTaskWithItsSourceAndIsSetToItsNextTime() {
        schedules.add("every-minute", "* * * * *", "status", null, "UTC", false, "local");
        steward.automation.start();
        assertThat(runsOf("every-minute")).isEmpty(); // 30 s before its time
        steward.clock.advance(Duration.ofSeconds(31));
        steward.automation.checkNow();
        await().atMost(Duration.ofSeconds(20)).until(() -> runsOf("every-minute").stream()
                .anyMatch(r -> r.status().equals("done")));
        AutomationRun run = runsOf("every-minute").get(0);
        assertThat(run.trigger()).isEqualTo("cron");
        Task task = steward.tasks.find(run.taskId()).orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(task.source()).isEqualTo("schedule:every-minute");
        assertThat(schedules.json(schedules.get("every-minute")).path("next_run").asText())
                .isEqualTo("2026-05-04T07:01:00Z");
    }

    @Test
    void aRunMissedWhileServeWasDownRunsOnceAtStart() {
        schedules.add("hourly", "0 * * * *", "status", null, "UTC", false, "local");
        steward.clock.advance(Duration.ofHours(5)); // five times passed with no serve running
        steward.automation.start();
        steward.automation.checkNow();
        await().atMost(Duration.ofSeconds(20)).until(() -> !runsOf("hourly").isEmpty()
                && !runsOf("hourly").get(0).status().equals(AutomationRun.RUNNING));
        steward.automation.checkNow();
        assertThat(runsOf("hourly")).singleElement().satisfies(r -> assertThat(r.trigger()).isEqualTo("missed"));
    }

    @Test
    void runNowRunsHereAndAPausedScheduleHasNoNextRun() {
        schedules.add("report", "@daily", "status", null, "UTC", false, "local");
        AutomationRun run = schedules.runNow("report");
        assertThat(run.status()).isEqualTo("done");
        assertThat(run.trigger()).isEqualTo("manual");
        schedules.pause("report");
        var row = schedules.json(schedules.get("report"));
        assertThat(row.path("paused").asBoolean()).isTrue();
        assertThat(row.path("next_run").isNull()).isTrue();
        assertThat(row.path("last_status").asText()).isEqualTo("done");
        assertThat(row.path("description").asText()).isEqualTo("every day at 00:00");
    }

    @Test
    void oneScheduleNeverRunsTwiceAtOnce() {
        schedules.add("slow", "@daily", "status", null, "UTC", false, "local");
        ScheduleStore store = new ScheduleStore(steward.database);
        assertThat(store.claim("slow", 0, Long.MAX_VALUE)).isTrue(); // as if another process were running it
        assertThatThrownBy(() -> schedules.runNow("slow")).isInstanceOf(UsageException.class)
                .hasMessageContaining("is running right now");
        store.release("slow");
        assertThat(schedules.runNow("slow").status()).isEqualTo("done");
    }

    @Test
    void badInputIsRefusedWithTheFix() {
        assertThatThrownBy(() -> schedules.add("x", "0 7 * * *", "status", "nobody", null, false, "local"))
                .hasMessageContaining("no agent profile named 'nobody'");
        assertThatThrownBy(() -> schedules.add("Bad Name", "0 7 * * *", "t", null, null, false, "local"))
                .hasMessageContaining("not a usable name");
        assertThatThrownBy(() -> schedules.add("x", "61 * * * *", "t", null, null, false, "local"))
                .hasMessageStartingWith("minute 61 is out of range 0–59");
        assertThatThrownBy(() -> schedules.runNow("absent")).hasMessageContaining("no schedule named 'absent'");
    }

    @Test
    void theMorningBriefingIsBundledPausedAndDeliversTheBriefing() {
        steward.automation.start();
        Schedule morning = schedules.get(Schedules.MORNING_BRIEFING);
        assertThat(morning.paused()).isTrue();
        assertThat(morning.cron().description()).isEqualTo("every day at 07:00");
        AutomationRun run = schedules.runNow(Schedules.MORNING_BRIEFING);
        assertThat(run.summary()).startsWith("Briefing since");
        assertThat(steward.automation.notifications().list("local", 10, false))
                .anySatisfy(n -> assertThat(n.title()).isEqualTo("Schedule morning-briefing: done"));
    }
}
