package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schedules in a real {@code steward serve}: a schedule added by the CLI while serve runs is picked up and yields a
 * finished task with source schedule:NAME, and again after a restart. Instead of waiting for the minute, the test
 * moves the schedule's due time in the scheduler's table to now, as the clock would, and serve polls each second.
 */
class ScheduleServeTest {
    @TempDir
    Path home;

    @Test
    void aScheduleAddedWhileServeRunsYieldsAFinishedTaskAndDoesSoAgainAfterARestart() throws Exception {
        Files.createDirectories(home);
        Files.writeString(home.resolve("steward.yaml"), "automation:\n  poll_seconds: 1\n");
        StewardProcess steward = StewardProcess.in(home);

        StewardProcess.Result bad = steward.run("schedules", "add", "ping", "--cron", "61 * * * *", "--task", "status");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(Main.USAGE);
        assertThat(bad.err()).as(bad.toString()).contains("minute 61 is out of range 0–59");

        StewardProcess.Running serve = steward.serve();
        try {
            StewardProcess.Result added = steward.run("schedules", "add", "ping", "--cron", "* * * * *", "--task",
                    "status");
            assertThat(added.exit()).as(added.toString()).isZero();
            assertThat(added.out()).contains("every minute");
            makeDue("ping");
            await().atMost(Duration.ofSeconds(180)).until(() -> finishedTasks("schedule:ping") >= 1);
        } finally {
            serve.stop();
        }
        serve = steward.serve();
        try {
            makeDue("ping");
            await().atMost(Duration.ofSeconds(180)).until(() -> finishedTasks("schedule:ping") >= 2);
        } finally {
            serve.stop();
        }
        StewardProcess.Result list = steward.run("schedules", "list", "--json");
        assertThat(list.out()).as(list.toString()).contains("\"name\" : \"ping\"").contains("\"last_status\" : \"done\"")
                .contains("\"description\" : \"every minute\"");
        StewardProcess.Result now = steward.run("schedules", "run", "ping");
        assertThat(now.exit()).as(now.toString()).isZero();
        assertThat(finishedTasks("schedule:ping")).isEqualTo(3);
        StewardProcess.Result briefing = steward.run("briefing", "--since", "1h");
        assertThat(briefing.out()).as(briefing.toString()).contains("schedule ping (cron): done")
                .contains("schedule ping (manual): done");
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + home.resolve("steward.db"));
    }

    /** What the minute turning would do: the schedule's row in the scheduler's table falls due now. */
    private void makeDue(String name) throws SQLException {
        try (Connection c = database(); var update = c.prepareStatement(
                "UPDATE scheduled_tasks SET execution_time = ? WHERE task_instance = ?")) {
            update.setLong(1, System.currentTimeMillis());
            update.setString(2, name);
            assertThat(update.executeUpdate()).as("the schedule's row in scheduled_tasks").isEqualTo(1);
        }
    }

    private long finishedTasks(String source) throws SQLException {
        try (Connection c = database(); var query = c.prepareStatement(
                "SELECT COUNT(*) FROM tasks WHERE source = ? AND status = 'done'")) {
            query.setString(1, source);
            var rs = query.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }
}
