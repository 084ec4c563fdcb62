package dev.steward.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.support.Text;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
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
    private static final RecordComponent[] SECTIONS = ConfigFile.class.getRecordComponents();
    /** The top-level keys, in the order of {@link #SECTIONS}: routing, providers, ..., mcp_servers, ... */
    private static final List<String> SECTION_KEYS = Arrays.stream(SECTIONS)
            .map(c -> new PropertyNamingStrategies.SnakeCaseStrategy().translate(c.getName())).toList();

    private ConfigMapping() {}

    /**
     * Maps {@code tree}, read from {@code source}; {@code overrides} says which pointers an environment variable
     * set, so that a bad value there names the variable rather than the file.
     */
    static ConfigFile map(ObjectNode tree, ConfigText source, Map<String, String> overrides) {
        try {
            return sections(tree);
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

    /**
     * Each section the tree has, mapped by Jackson on its own; a section left out is null (its default). Mapping the
     * whole file as one record made Jackson build the deserializers of every configuration record, even for an empty
     * file: a fifth of a short command's start (issue 23). Errors are Jackson's own, the section's key put in front of
     * their path, so they read as before.
     */
    private static ConfigFile sections(ObjectNode tree) throws JsonProcessingException {
        Object[] values = new Object[SECTIONS.length];
        for (Map.Entry<String, JsonNode> field : tree.properties()) {
            int index = SECTION_KEYS.indexOf(field.getKey());
            if (index < 0) {
                UnrecognizedPropertyException unknown = new UnrecognizedPropertyException(null,
                        "Unrecognized field \"" + field.getKey() + "\"", null, ConfigFile.class, field.getKey(),
                        new ArrayList<>(SECTION_KEYS));
                unknown.prependPath(ConfigFile.class, field.getKey());
                throw unknown;
            }
            JavaType type = ConfigText.YAML.getTypeFactory().constructType(SECTIONS[index].getGenericType());
            try {
                values[index] = ConfigText.YAML.treeToValue(field.getValue(), type);
            } catch (JsonMappingException e) {
                e.prependPath(ConfigFile.class, field.getKey());
                throw e;
            }
        }
        try {
            return ConfigFile.class.getDeclaredConstructor(Arrays.stream(SECTIONS).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new)).newInstance(values);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ConfigFile's canonical constructor", e);
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
