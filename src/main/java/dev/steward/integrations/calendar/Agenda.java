package dev.steward.integrations.calendar;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.ConnectionsConfig;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/**
 * The events of the configured calendar between two moments, in start order: what {@code calendar.list} answers, and
 * what the briefing shows of today. Not a tool itself: it reads for Steward's owner, and what the events say (anyone
 * can send an invitation) is shown to a person, never given to a model as instructions.
 */
public final class Agenda {
    private static final DateTimeFormatter CALDAV_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private final CalDavClient dav;

    /**
     * One event. {@code start} and {@code end} are ISO-8601 instants ("2026-12-08T10:00:00Z"), or dates
     * ("2026-12-08") for an all-day event; {@code end} and {@code location} may be null.
     */
    public record Event(String id, String title, String start, String end, String location) {
        public boolean allDay() {
            return start != null && !start.contains("T");
        }
    }

    public Agenda(ConnectionsConfig.Calendar config) {
        this(new CalDavClient(config));
    }

    Agenda(CalDavClient dav) {
        this.dav = dav;
    }

    /** The events that overlap [from, to); a ToolException names the server and the fix when it cannot be read. */
    public List<Event> between(Instant from, Instant to) {
        return json(from, to).stream().map(e -> new Event(e.path("id").asText(), e.path("title").asText(),
                text(e, "start"), text(e, "end"), text(e, "location"))).toList();
    }

    /** The same, as calendar.list shows each event. */
    List<ObjectNode> json(Instant from, Instant to) {
        return dav.query(CALDAV_TIME.format(from), CALDAV_TIME.format(to)).stream()
                .flatMap(r -> Events.firstEvent(Events.parse(r.ics(), r.name())).map(e -> Events.json(r.name(), e))
                        .stream())
                .sorted(Comparator.comparing(e -> e.path("start").asText()))
                .toList();
    }

    private static String text(ObjectNode event, String field) {
        return event.path(field).isTextual() ? event.path(field).asText() : null;
    }
}
