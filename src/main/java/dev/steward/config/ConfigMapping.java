package dev.steward.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.support.Text;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The tree of keys mapped onto the configuration records. Jackson's mapping errors are reworded for users: the
 * key, what was expected and what was found, and how to write it instead.
 */
final class ConfigMapping {
    private static final Pattern PROVIDER_KEY = Pattern.compile("providers\\.(\\d+)(\\..*)?");

    private ConfigMapping() {}

    /**
     * Maps {@code tree}, read from {@code source}; {@code overrides} says which pointers an environment variable
     * set, so that a bad value there names the variable rather than the file.
     */
    static ConfigFile map(ObjectNode tree, ConfigText source, Map<String, String> overrides) {
        try {
            return ConfigText.YAML.treeToValue(tree, ConfigFile.class);
        } catch (JsonMappingException e) {
            String pointer = pointer(e.getPath());
            String variable = overrides.get(pointer);
            JsonNode found = tree.at(pointer);
            throw new ConfigException(variable != null ? variable : source.at(pointer), keyOf(tree, pointer),
                    problem(e, found), fix(e, found));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dotted key at a pointer, naming a provider by its name rather than its index where it has one. */
    static String keyOf(ObjectNode tree, String pointer) {
        String key = pointer.substring(1).replace('/', '.');
        Matcher provider = PROVIDER_KEY.matcher(key);
        if (provider.matches()) {
            JsonNode name = tree.path("providers").path(Integer.parseInt(provider.group(1))).path("name");
            if (name.isTextual() && !name.asText().isBlank()) {
                return "providers." + name.asText() + (provider.group(2) == null ? "" : provider.group(2));
            }
        }
        return key;
    }

    private static String problem(JsonMappingException e, JsonNode found) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown key '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException invalid) {
            return "'" + invalid.getValue() + "' is not a valid " + describe(invalid.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return mismatch.getTargetType().isEnum()
                    ? foundText(found) + " is not a valid value"
                    : "expected " + expected(mismatch.getTargetType()) + ", found " + foundText(found);
        }
        return e.getOriginalMessage().lines().findFirst().orElse("invalid value");
    }

    private static String expected(Class<?> type) {
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == String.class) {
            return "text";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type) || type.isEnum()) {
            return "a " + describe(type);
        }
        return "a mapping of keys to values";
    }

    private static String foundText(JsonNode found) {
        if (found == null || found.isMissingNode() || found.isNull()) {
            return "nothing";
        }
        if (found.isArray()) {
            return "a list";
        }
        if (found.isObject()) {
            return "a mapping";
        }
        return "'" + found.asText() + "'";
    }

    private static String fix(JsonMappingException e, JsonNode found) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            String closest = Text.closest(unknown.getPropertyName(), known.stream().map(String::valueOf).toList()).orElse(null);
            String all = known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return (closest != null ? "did you mean '" + closest + "'? " : "") + "known keys here: " + all;
        }
        if (e instanceof MismatchedInputException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            return "use one of: " + Arrays.stream(invalid.getTargetType().getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidFormatException invalid) {
            return "write a " + describe(invalid.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = expected(mismatch.getTargetType());
            return switch (expected) {
                case "a list" -> "write one entry per line, each starting with '- ', as in the commented template";
                case "a mapping of keys to values" -> "write 'key: value' lines indented under it, as in the commented template";
                case "text" -> "write a single value on the same line";
                default -> "write " + expected + (found == null || found.isNull() || found.isMissingNode()
                        ? ", or remove the line to use the default" : "");
            };
        }
        return "compare it with the commented template (move the file away and run steward to get a fresh one)";
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "whole number";
        }
        if (type == double.class || type == Double.class) {
            return "number";
        }
        return type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            pointer.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return pointer.isEmpty() ? "/" : pointer.toString();
    }
}
