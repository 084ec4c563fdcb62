package dev.steward.integrations.common;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ToolException;
import java.util.ArrayList;
import java.util.List;

/** Reading a call's arguments (the gate has checked them against the schema; these say what a schema cannot). */
public final class Args {
    private Args() {}

    /** A required text argument. */
    public static String text(JsonNode args, String name) {
        String value = optional(args, name);
        if (value == null || value.isBlank()) {
            throw new ToolException("'" + name + "' is required");
        }
        return value;
    }

    /** A text argument, or null when absent. Numbers are read as written, so 49.00 stays 49.00. */
    public static String optional(JsonNode args, String name) {
        JsonNode value = args.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    public static boolean flag(JsonNode args, String name) {
        return args.path(name).asBoolean(false);
    }

    /** A list of texts, given as a JSON array or as one comma-separated text; empty when absent. */
    public static List<String> list(JsonNode args, String name) {
        JsonNode value = args.get(name);
        List<String> items = new ArrayList<>();
        if (value == null || value.isNull()) {
            return items;
        }
        if (value.isArray()) {
            value.forEach(item -> items.add(item.asText().strip()));
        } else {
            for (String part : value.asText().split(",")) {
                items.add(part.strip());
            }
        }
        items.removeIf(String::isEmpty);
        return items;
    }
}
