package dev.steward.integrations.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.Compensation;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolException;
import dev.steward.actions.ToolResult;
import dev.steward.config.ConnectionsConfig;
import dev.steward.integrations.common.Args;
import dev.steward.integrations.common.IntegrationTool;
import dev.steward.support.Json;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;

/** calendar.list, calendar.create, calendar.update and calendar.delete on the configured CalDAV collection. */
public final class CalendarTools {
    private static final String EVENT = "\"title\":{\"type\":\"string\",\"minLength\":1},\"start\":{\"type\":\"string\","
            + "\"description\":\"ISO-8601, like 2026-12-08T10:00:00Z\"},\"end\":{\"type\":\"string\"},\"location\":"
            + "{\"type\":\"string\"},\"attendees\":{\"type\":[\"array\",\"string\"],\"items\":{\"type\":\"string\"}}";

    private final CalDavClient dav;

    CalendarTools(ConnectionsConfig.Calendar config) {
        this.dav = new CalDavClient(config);
    }

    public static List<Tool> create(ConnectionsConfig.Calendar config) {
        CalendarTools tools = new CalendarTools(config);
        return List.of(
                IntegrationTool.of("calendar.list", "List the events between two times (ISO-8601).",
                        "{\"type\":\"object\",\"properties\":{\"from\":{\"type\":\"string\"},\"to\":{\"type\":\"string\"}},"
                                + "\"required\":[\"from\",\"to\"]}", Risk.READ, tools::list),
                IntegrationTool.of("calendar.create", "Create an event (invitees as attendees' email addresses).",
                        "{\"type\":\"object\",\"properties\":{" + EVENT + "},\"required\":[\"title\",\"start\",\"end\"]}",
                        Risk.WRITE, tools::create),
                IntegrationTool.of("calendar.update", "Change an event: only the fields given change.",
                        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"minLength\":1}," + EVENT
                                + "},\"required\":[\"id\"]}", Risk.WRITE, tools::update),
                IntegrationTool.of("calendar.delete", "Delete an event by the id calendar.list gave.",
                        "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\",\"minLength\":1}},"
                                + "\"required\":[\"id\"]}", Risk.WRITE, tools::delete)
                        .withPreview(tools::describeDeletion)
                        .withApprovalByDefault("deleting an event, which cannot be taken back"));
    }

    /** Checks the collection as the tools will use it: for 'steward connect test calendar'. */
    public static String test(ConnectionsConfig.Calendar config) {
        String name = new CalDavClient(config).check();
        return "calendar: " + config.url() + " is a calendar collection" + (name.isBlank() ? "" : " (\"" + name + "\")")
                + " that " + config.user() + " can read";
    }

    private ToolResult list(JsonNode args, ToolContext context) {
        Instant from = Events.time(Args.optional(args, "from"), "from");
        Instant to = Events.time(Args.optional(args, "to"), "to");
        Events.checkOrder(from, to);
        ArrayNode events = Json.mapper().createArrayNode();
        new Agenda(dav).json(from, to).forEach(events::add);
        ObjectNode result = Json.object().put("from", from.toString()).put("to", to.toString());
        result.set("events", events);
        return ToolResult.ok(result);
    }

    private ToolResult create(JsonNode args, ToolContext context) {
        String uid = UUID.randomUUID() + "@steward";
        String name = uid.replace("@", "-") + ".ics";
        Calendar calendar = Events.create(uid, args);
        dav.put(name, calendar.toString(), null);
        ObjectNode event = Events.json(name, Events.firstEvent(calendar).orElseThrow());
        return ToolResult.ok(event).withUndo(Compensation.of("delete the event " + name, () -> dav.delete(name, null)));
    }

    private ToolResult update(JsonNode args, ToolContext context) {
        String name = Args.text(args, "id");
        CalDavClient.Resource resource = dav.get(name);
        Calendar calendar = Events.parse(resource.ics(), name);
        VEvent event = Events.firstEvent(calendar).orElseThrow(() ->
                new ToolException("calendar: " + name + " holds no event"));
        Events.update(event, args);
        Events.checkOrder(Instant.parse(Events.json(name, event).path("start").asText()),
                Instant.parse(Events.json(name, event).path("end").asText()));
        dav.put(name, calendar.toString(), resource.etag());
        return ToolResult.ok(Events.json(name, event));
    }

    private ToolResult delete(JsonNode args, ToolContext context) {
        String name = Args.text(args, "id");
        dav.delete(name, null);
        return ToolResult.ok(Json.object().put("deleted", name));
    }

    /** The event as it is on the server, for the approval card of its deletion. */
    private String describeDeletion(JsonNode args) {
        String name = Args.optional(args, "id");
        VEvent event = Events.firstEvent(Events.parse(dav.get(name).ics(), name)).orElse(null);
        if (event == null) {
            return "Delete calendar entry " + name;
        }
        ObjectNode shown = Events.json(name, event);
        return "Delete the event \"" + shown.path("title").asText() + "\" (" + shown.path("start").asText() + " to "
                + shown.path("end").asText() + ")";
    }
}
