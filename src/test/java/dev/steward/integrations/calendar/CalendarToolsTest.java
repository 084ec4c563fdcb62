package dev.steward.integrations.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.ConnectionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calendar tools through the gate against Radicale, a real CalDAV server, on loopback. */
class CalendarToolsTest {
    private static final ToolContext ME = new ToolContext("local", null);
    static Radicale radicale;
    static String calendarUrl;
    static ActionGate gate;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        radicale = new Radicale(dir);
        calendarUrl = radicale.makeCalendar("work");
        ConnectionsConfig.Calendar config = new ConnectionsConfig.Calendar(calendarUrl, Radicale.USER, Radicale.PASSWORD);
        gate = new ActionGate(new Tools(CalendarTools.create(config)), ActionsConfig.defaults(),
                Database.open(dir, DatabaseConfig.embedded()), Clock.systemUTC());
        // An event another client wrote, with a time zone of its own and a resource name that is not its UID.
        radicale.send("PUT", calendarUrl + "dentist.ics", """
                BEGIN:VCALENDAR\r
                VERSION:2.0\r
                PRODID:-//Other client//EN\r
                BEGIN:VEVENT\r
                UID:other-client-1\r
                DTSTAMP:20261201T090000Z\r
                DTSTART:20261209T080000Z\r
                DTEND:20261209T090000Z\r
                SUMMARY:Dentist\r
                END:VEVENT\r
                END:VCALENDAR\r
                """);
    }

    @AfterAll
    static void stop() {
        radicale.close();
    }

    private static List<String> titles(String from, String to) {
        ActionGate.Outcome listed = gate.call("calendar.list", Json.object().put("from", from).put("to", to), ME);
        assertThat(listed.ok()).as("%s", listed.message()).isTrue();
        return listed.asJson().path("events").findValuesAsText("title");
    }

    @Test
    void eventsAreCreatedOnTheServerListedByTimeRangeAndUpdated() throws Exception {
        ActionGate.Outcome created = gate.call("calendar.create", Json.parse("""
                {"title": "Planning with Ann", "start": "2026-12-08T10:00:00Z", "end": "2026-12-08T11:00:00+00:00",
                 "location": "Room 2", "attendees": ["ann@example.org"]}"""), ME);
        assertThat(created.ok()).as("%s", created.message()).isTrue();
        String id = created.asJson().path("id").asText();
        assertThat(radicale.send("GET", calendarUrl + id, null).body())
                .contains("SUMMARY:Planning with Ann", "DTSTART:20261208T100000Z", "mailto:ann@example.org");

        assertThat(titles("2026-12-08T00:00:00Z", "2026-12-10T00:00:00Z")).containsExactly("Planning with Ann", "Dentist");
        assertThat(titles("2026-12-09T00:00:00Z", "2026-12-10T00:00:00Z")).containsExactly("Dentist");

        ActionGate.Outcome moved = gate.call("calendar.update",
                Json.object().put("id", id).put("start", "2026-12-08T14:00:00Z").put("end", "2026-12-08T15:00:00Z"), ME);
        assertThat(moved.ok()).as("%s", moved.message()).isTrue();
        JsonNode after = gate.call("calendar.list", Json.object().put("from", "2026-12-08T13:00:00Z")
                .put("to", "2026-12-08T16:00:00Z"), ME).asJson().path("events");
        assertThat(after).singleElement().satisfies(e -> {
            assertThat(e.path("title").asText()).isEqualTo("Planning with Ann");
            assertThat(e.path("location").asText()).isEqualTo("Room 2");
            assertThat(e.path("attendees").get(0).asText()).isEqualTo("ann@example.org");
        });
    }

    @Test
    void aCreatedEventIsTakenBackWhenALaterStepFailsAndDeletingNeedsApproval() throws Exception {
        ActionGate.Plan plan = gate.runAll(List.of(
                new ActionGate.Step("calendar.create", Json.parse(
                        "{\"title\": \"Offsite\", \"start\": \"2026-12-15T09:00:00Z\", \"end\": \"2026-12-15T17:00:00Z\"}")),
                new ActionGate.Step("calendar.update", Json.object().put("id", "no-such-event.ics").put("title", "x"))),
                ME);
        assertThat(plan.rolledBack()).isTrue();
        assertThat(plan.compensations()).singleElement().asString().startsWith("delete the event");
        assertThat(titles("2026-12-15T00:00:00Z", "2026-12-16T00:00:00Z")).isEmpty();

        String haircut = gate.call("calendar.create", Json.parse(
                "{\"title\": \"Haircut\", \"start\": \"2026-12-20T09:00:00Z\", \"end\": \"2026-12-20T09:30:00Z\"}"), ME)
                .asJson().path("id").asText();
        ActionGate.Outcome asked = gate.call("calendar.delete", Json.object().put("id", haircut), ME);
        assertThat(asked).isInstanceOf(ActionGate.NeedsApproval.class);
        assertThat(gate.approval(asked.approvalId()).orElseThrow().reason())
                .contains("Delete the event \"Haircut\" (2026-12-20T09:00:00Z");
        assertThat(titles("2026-12-20T00:00:00Z", "2026-12-21T00:00:00Z")).containsExactly("Haircut");
        assertThat(gate.approve(asked.approvalId(), "local", null).ok()).isTrue();
        assertThat(titles("2026-12-20T00:00:00Z", "2026-12-21T00:00:00Z")).isEmpty();
    }

    @Test
    void aWrongPasswordAndAUrlThatIsNotACollectionAreNamedWithTheFix() {
        assertThat(CalendarTools.test(new ConnectionsConfig.Calendar(calendarUrl, Radicale.USER, Radicale.PASSWORD)))
                .contains("is a calendar collection", "work");
        assertThatThrownBy(() -> CalendarTools.test(new ConnectionsConfig.Calendar(calendarUrl, Radicale.USER, "nope")))
                .hasMessageContaining("refused the login of me")
                .hasMessageContaining("connections.calendar.user and password");
        assertThatThrownBy(() -> CalendarTools.test(new ConnectionsConfig.Calendar(
                radicale.base() + Radicale.USER + "/", Radicale.USER, Radicale.PASSWORD)))
                .hasMessageContaining("is not a calendar collection")
                .hasMessageContaining("set connections.calendar.url to a calendar inside it");
    }
}
