package dev.steward.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolResult;
import dev.steward.config.AutomationConfig;
import dev.steward.config.ConnectionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.integrations.calendar.CalendarTools;
import dev.steward.integrations.calendar.Radicale;
import dev.steward.support.Json;
import dev.steward.support.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Today's events in the briefing, read from Radicale (a real CalDAV server) on loopback. */
class BriefingCalendarTest {
    static Radicale radicale;
    static ConnectionsConfig.Calendar calendar;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        radicale = new Radicale(dir);
        calendar = new ConnectionsConfig.Calendar(radicale.makeCalendar("work"), Radicale.USER, Radicale.PASSWORD);
        // "Today" is the fixture clock's day, where this machine is (the zone the briefing and its schedule use).
        ZoneId zone = ZoneId.systemDefault();
        LocalDate today = new MovableClock(AutomationFixture.START).instant().atZone(zone).toLocalDate();
        Tool create = CalendarTools.create(calendar).stream().filter(t -> t.spec().name().equals("calendar.create"))
                .findFirst().orElseThrow();
        record Planned(String title, LocalDate day, LocalTime start, LocalTime end, String location) {}
        for (Planned p : new Planned[] {
                new Planned("Dentist", today, LocalTime.of(14, 0), LocalTime.of(15, 0), null),
                new Planned("Standup", today, LocalTime.of(9, 0), LocalTime.of(9, 15), "Room 1"),
                new Planned("Board meeting", today.plusDays(1), LocalTime.of(9, 0), LocalTime.of(10, 0), null),
                new Planned("Retro", today.minusDays(1), LocalTime.of(16, 0), LocalTime.of(17, 0), null)}) {
            ObjectNode args = Json.object().put("title", p.title())
                    .put("start", p.day().atTime(p.start()).atZone(zone).toInstant().toString())
                    .put("end", p.day().atTime(p.end()).atZone(zone).toInstant().toString());
            if (p.location() != null) {
                args.put("location", p.location());
            }
            ToolResult made = create.call(args, new ToolContext("local", null));
            assertThat(made.isError()).as("%s", made.error()).isFalse();
        }
    }

    @AfterAll
    static void stop() {
        radicale.close();
    }

    private static AutomationFixture steward(Path home, ConnectionsConfig.Calendar calendar) {
        return new AutomationFixture(home, DatabaseConfig.embedded(), AutomationConfig.Settings.defaults(),
                new ConnectionsConfig(null, calendar, null));
    }

    @Test
    void todaysEventsAreInTheBriefingInOrderWithTheirTimesAndPlaces(@TempDir Path home) {
        try (AutomationFixture steward = steward(home, calendar)) {
            String text = steward.automation.briefing().text("local", Duration.ofHours(24));

            assertThat(text).contains("Today's events: 2\n  09:00–09:15  Standup  (Room 1)\n  14:00–15:00  Dentist\n")
                    .doesNotContain("Board meeting").doesNotContain("Retro");
            ObjectNode json = steward.automation.briefing().collect("local", Duration.ofHours(24));
            assertThat(json.path("events").findValuesAsText("title")).containsExactly("Standup", "Dentist");
            assertThat(json.has("calendar_error")).isFalse();
        }
    }

    @Test
    void aCalendarThatCannotBeReadIsSaidSoAndTheBriefingStillGoesOut(@TempDir Path home) {
        var wrongPassword = new ConnectionsConfig.Calendar(calendar.url(), Radicale.USER, "not-the-password");
        try (AutomationFixture steward = steward(home, wrongPassword)) {
            String text = steward.automation.briefing().text("local", Duration.ofHours(24));

            assertThat(text).contains("Tasks: 0").contains("Today's events: the calendar could not be read — calendar")
                    .doesNotContain("Standup");
        }
    }

    @Test
    void withoutACalendarTheBriefingHasNoEventsSection(@TempDir Path home) {
        try (AutomationFixture steward = steward(home, null)) {
            assertThat(steward.automation.briefing().text("local", Duration.ofHours(24)))
                    .doesNotContain("Today's events");
            assertThat(steward.automation.briefing().collect("local", Duration.ofHours(24)).has("events")).isFalse();
        }
    }
}
