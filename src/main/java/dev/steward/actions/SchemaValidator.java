package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks arguments against the subset of JSON Schema tools use: type, properties, required,
 * additionalProperties: false, enum, minimum, maximum, minLength, items. Each problem names the field and what
 * was expected.
 */
final class SchemaValidator {
    private SchemaValidator() {}

    static List<String> problems(JsonNode schema, JsonNode value) {
        List<String> problems = new ArrayList<>();
        check(schema, value, "", problems);
        return problems;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        String where = path.isEmpty() ? "the arguments" : "argument '" + path + "'";
        String type = schema.path("type").asText(null);
        if (type != null && !hasType(value, type)) {
            problems.add(where + ": expected " + article(type) + ", found " + describe(value));
            return;
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray()) {
            boolean found = false;
            for (JsonNode option : allowed) {
                found |= option.equals(value);
            }
            if (!found) {
                List<String> options = new ArrayList<>();
                allowed.forEach(o -> options.add(o.asText()));
                problems.add(where + ": expected one of " + String.join(", ", options) + ", found " + describe(value));
            }
        }
        if (value.isNumber()) {
            if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
                problems.add(where + ": expected at least " + schema.get("minimum").asText() + ", found " + value.asText());
            }
            if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
                problems.add(where + ": expected at most " + schema.get("maximum").asText() + ", found " + value.asText());
            }
        }
        if (value.isTextual() && schema.has("minLength") && value.asText().length() < schema.get("minLength").asInt()) {
            problems.add(where + ": expected at least " + schema.get("minLength").asInt() + " character(s)");
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText()) || value.get(required.asText()).isNull()) {
                    problems.add("argument '" + join(path, required.asText()) + "': required, but missing");
                }
            }
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode property = properties.get(field.getKey());
                if (property != null) {
                    if (!field.getValue().isNull()) {
                        check(property, field.getValue(), join(path, field.getKey()), problems);
                    }
                } else if (schema.path("additionalProperties").isBoolean()
                        && !schema.get("additionalProperties").asBoolean()) {
                    List<String> known = new ArrayList<>();
                    properties.fieldNames().forEachRemaining(known::add);
                    problems.add("argument '" + join(path, field.getKey()) + "': not expected; known: "
                            + (known.isEmpty() ? "none" : String.join(", ", known)));
                } else if (schema.path("additionalProperties").isObject()) {
                    check(schema.get("additionalProperties"), field.getValue(), join(path, field.getKey()), problems);
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || value.isNumber() && value.asDouble() == Math.rint(value.asDouble());
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static String article(String type) {
        return switch (type) {
            case "object" -> "an object";
            case "array" -> "an array";
            case "integer" -> "an integer";
            default -> "a " + type;
        };
    }

    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "nothing";
        }
        if (value.isObject()) {
            return "an object";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isBoolean()) {
            return "a boolean (" + value.asText() + ")";
        }
        return "a number (" + value.asText() + ")";
    }
}
