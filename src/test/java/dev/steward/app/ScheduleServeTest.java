package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

        StewardProcess.Running serve = serve(steward);
        try {
            StewardProcess.Result added = steward.run("schedules", "add", "ping", "--cron", "* * * * *", "--task",
                    "status");
            assertThat(added.exit()).as(added.toString()).isZero();
            assertThat(added.out()).contains("every minute");
            makeDue("ping");
            await().atMost(Duration.ofSeconds(180)).until(() -> finishedTasks("schedule:ping") >= 1);
        } finally {
            stop(serve);
        }
        serve = serve(steward);
        try {
            makeDue("ping");
            await().atMost(Duration.ofSeconds(180)).until(() -> finishedTasks("schedule:ping") >= 2);
        } finally {
            stop(serve);
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

    private StewardProcess.Running serve(StewardProcess steward) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        StewardProcess.Running serve = steward.start("serve", "--port", Integer.toString(port));
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return serve;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline || !serve.process().isAlive()) {
                fail("steward serve did not come up: " + serve.finish());
            }
            Thread.sleep(200);
        }
    }

    /** SIGTERM, as Ctrl-C: serve stops gracefully (destroy closes its output streams, so they are not read). */
    private static void stop(StewardProcess.Running serve) throws InterruptedException {
        serve.process().destroy();
        assertThat(serve.process().waitFor(60, TimeUnit.SECONDS)).as("serve stopped").isTrue();
        assertThat(serve.process().exitValue()).isIn(0, 143);
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
