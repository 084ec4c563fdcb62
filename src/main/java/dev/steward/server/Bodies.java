package dev.steward.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.support.Json;
import io.javalin.http.Context;

/** Reading the JSON bodies and query parameters of Steward's API, with errors that name the field and the fix. */
final class Bodies {
    private Bodies() {}

    /** The body as a JSON object; 400 when it is empty, not JSON or not an object. */
    static JsonNode object(Context ctx) {
        String text = ctx.body();
        if (text.isBlank()) {
            throw ApiError.badRequest("the request body is empty", "send a JSON object, with Content-Type: application/json");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the request body is not JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), "send a JSON object");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badRequest("the request body must be a JSON object", "wrap the fields in { }");
        }
        return node;
    }

    /** A string field; null when absent and not required. */
    static String text(JsonNode body, String field, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiError.badRequest("'" + field + "' is missing", "add \"" + field + "\": \"…\" to the body");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badRequest("'" + field + "' must be a string, not " + value.getNodeType().name().toLowerCase(),
                    "quote it");
        }
        if (required && value.asText().isBlank()) {
            throw ApiError.badRequest("'" + field + "' is empty", "give it a value");
        }
        return value.asText();
    }

    static boolean flag(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiError.badRequest("'" + field + "' must be true or false", "write it without quotes");
        }
        return value.asBoolean();
    }

    /** An integer query parameter within bounds, or its default. */
    static int number(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value < min || value > max) {
                throw ApiError.badRequest("'" + name + "' is " + value + "; it must be from " + min + " to " + max,
                        "use a number in that range");
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("'" + name + "' is '" + raw + "', not a whole number", "use digits only, e.g. "
                    + name + "=" + fallback);
        }
    }
}
