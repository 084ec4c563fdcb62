package dev.steward.integrations.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ToolException;
import dev.steward.integrations.common.Args;
import dev.steward.support.Json;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.Temporal;
import java.util.List;
import java.util.Optional;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Uid;

/** Events as iCalendar (ical4j) and as the tools show them; times in the tools are ISO-8601. */
final class Events {
    private Events() {}

    /** An ISO-8601 time: with Z or an offset, or local to this machine's zone; a bare date is its midnight. */
    static Instant time(String text, String argument) {
        if (text == null || text.isBlank()) {
            throw new ToolException("calendar: '" + argument + "' is required, like 2026-12-08T10:00:00Z");
        }
        String value = text.strip();
        try {
            if (value.length() == 10) {
                return LocalDate.parse(value).atStartOfDay(ZoneId.systemDefault()).toInstant();
            }
            if (value.endsWith("Z") || value.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(value).toInstant();
            }
            return LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ToolException("calendar: " + argument + " '" + text + "' is not a time; write it like "
                    + "2026-12-08T10:00:00Z or 2026-12-08T11:00+01:00");
        }
    }

    /** A new event as an iCalendar object. */
    static Calendar create(String uid, JsonNode args) {
        Instant start = time(Args.optional(args, "start"), "start");
        Instant end = time(Args.optional(args, "end"), "end");
        checkOrder(start, end);
        VEvent event = new VEvent(start, end, Args.text(args, "title"));
        event.add(new Uid(uid));
        apply(event, args);
        return new Calendar().withProdId("-//Steward//Steward calendar tools//EN").withDefaults()
                .withComponent(event).getFluentTarget();
    }

    /** The arguments given laid over an existing event (title, start, end, location, attendees). */
    static void update(VEvent event, JsonNode args) {
        if (args.hasNonNull("title")) {
            event.replace(new Summary(Args.text(args, "title")));
        }
        if (args.hasNonNull("start")) {
            event.replace(new DtStart<>(time(Args.optional(args, "start"), "start")));
        }
        if (args.hasNonNull("end")) {
            event.replace(new DtEnd<>(time(Args.optional(args, "end"), "end")));
        }
        apply(event, args);
    }

    private static void apply(VEvent event, JsonNode args) {
        if (args.hasNonNull("location")) {
            event.replace(new Location(Args.optional(args, "location")));
        }
        if (args.has("attendees")) {
            event.removeAll(Property.ATTENDEE);
            for (String attendee : Args.list(args, "attendees")) {
                event.add(new Attendee(URI.create("mailto:" + attendee.replaceFirst("(?i)^mailto:", ""))));
            }
        }
    }

    static void checkOrder(Instant start, Instant end) {
        if (!end.isAfter(start)) {
            throw new ToolException("calendar: the event ends (" + end + ") before it starts (" + start + ")");
        }
    }

    static Calendar parse(String ics, String name) {
        try {
            return new CalendarBuilder().build(new StringReader(ics));
        } catch (IOException | ParserException e) {
            throw new ToolException("calendar: event " + name + " is not valid iCalendar (" + e.getMessage() + ")");
        }
    }

    static Optional<VEvent> firstEvent(Calendar calendar) {
        List<VEvent> events = calendar.getComponents(Component.VEVENT);
        return events.stream().findFirst();
    }

    /** An event as the tools show it. */
    static ObjectNode json(String id, VEvent event) {
        ObjectNode node = Json.object().put("id", id)
                .put("uid", event.getProperty(Property.UID).map(Property::getValue).orElse(null))
                .put("title", event.getProperty(Property.SUMMARY).map(Property::getValue).orElse(""))
                .put("start", event.getStartDate().map(d -> show(d.getDate())).orElse(null))
                .put("end", event.getEndDate().map(d -> show(d.getDate())).orElse(null))
                .put("location", event.getProperty(Property.LOCATION).map(Property::getValue).orElse(null));
        ArrayNode attendees = node.putArray("attendees");
        event.getProperties(Property.ATTENDEE).forEach(a ->
                attendees.add(a.getValue().replaceFirst("(?i)^mailto:", "")));
        return node;
    }

    private static String show(Temporal time) {
        if (time instanceof ZonedDateTime zoned) {
            return zoned.toInstant().toString();
        }
        if (time instanceof OffsetDateTime offset) {
            return offset.toInstant().toString();
        }
        return time.toString();
    }
}
