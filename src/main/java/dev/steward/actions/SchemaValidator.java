package dev.steward.actions;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.steward.support.Errors;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks arguments against a tool's JSON Schema (draft 2020-12 unless the schema names another dialect) with
 * networknt's validator. Each problem names the field and what was expected; a JSON null counts as left out.
 */
final class SchemaValidator {
    // Remote $refs are never fetched: a tool's schema must not make Steward reach out to the network.
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder
                    .schemaLoader(loader -> loader.fetchRemoteResources(false))
                    .schemaRegistryConfig(SchemaRegistryConfig.builder().locale(Locale.ENGLISH).build()));
    // Keyed by content, not weakly by node: a compiled Schema holds its node, so a weak key would never be freed.
    private static final Cache<JsonNode, Compiled> COMPILED = Caffeine.newBuilder().maximumSize(512).build();
    // Keywords whose next path element is a name or an index rather than another keyword.
    private static final Set<String> NAMING = Set.of("properties", "patternProperties", "$defs", "definitions",
            "dependentSchemas", "dependencies", "oneOf", "anyOf", "allOf", "prefixItems");

    private SchemaValidator() {}

    private record Compiled(JsonNode root, Schema schema, String unusable) {}

    static List<String> problems(JsonNode schema, JsonNode value) {
        if (schema == null || schema.isNull() || schema.isMissingNode()) {
            return List.of();
        }
        Compiled compiled = COMPILED.get(schema, SchemaValidator::compile);
        if (compiled.unusable() != null) {
            return List.of(compiled.unusable());
        }
        List<Error> errors;
        try {
            errors = compiled.schema().validate(withoutNulls(value));
        } catch (RuntimeException e) {
            return List.of(unusable(e));
        }
        return render(compiled.root(), errors, 0);
    }

    private static Compiled compile(JsonNode schema) {
        try {
            Schema compiled = REGISTRY.getSchema(schema);
            // Validators are otherwise built on first use; building them now surfaces a broken schema here.
            compiled.initializeValidators();
            return new Compiled(schema, compiled, null);
        } catch (RuntimeException e) {
            return new Compiled(schema, null, unusable(e));
        }
    }

    private static String unusable(RuntimeException e) {
        Throwable root = Errors.root(e);
        String why = root instanceof FileNotFoundException
                ? "cannot load " + root.getMessage() + "; only references within the schema are followed"
                : Errors.firstLine(root);
        return "the tool's input schema cannot be used (" + why + ")";
    }

    private static JsonNode withoutNulls(JsonNode value) {
        if (value.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            value.properties().forEach(field -> {
                if (!field.getValue().isNull()) {
                    copy.set(field.getKey(), withoutNulls(field.getValue()));
                }
            });
            return copy;
        }
        if (value.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            value.forEach(item -> copy.add(withoutNulls(item)));
            return copy;
        }
        return value;
    }

    /** Words the errors; those inside a oneOf/anyOf (at or after path element {@code from}) become one problem per combinator. */
    private static List<String> render(JsonNode root, List<Error> errors, int from) {
        // A value of the wrong type is told so, and not also every other keyword of that schema it then fails.
        Set<String> mistyped = new LinkedHashSet<>();
        errors.stream().filter(e -> e.getKeyword().equals("type")).forEach(e -> mistyped.add(schemaOf(e)));
        Map<String, List<Error>> groups = new LinkedHashMap<>();
        for (int i = 0; i < errors.size(); i++) {
            Error error = errors.get(i);
            if (!error.getKeyword().equals("type") && mistyped.contains(schemaOf(error))) {
                continue;
            }
            int at = combinator(error.getEvaluationPath(), from);
            String key = at < 0 ? "#" + i : at + ":" + prefix(error.getEvaluationPath(), at + 1);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(error);
        }
        Set<String> problems = new LinkedHashSet<>();
        groups.forEach((key, group) -> problems.add(key.startsWith("#") ? plain(root, group.getFirst())
                : alternatives(root, group, Integer.parseInt(key.substring(0, key.indexOf(':'))))));
        return List.copyOf(problems);
    }

    private static String schemaOf(Error error) {
        NodePath path = error.getEvaluationPath();
        return error.getInstanceLocation() + " " + prefix(path, path.getNameCount() - 1);
    }

    private static String alternatives(JsonNode root, List<Error> group, int at) {
        List<Object> where = null;
        Map<Integer, List<Error>> forms = new TreeMap<>();
        for (Error error : group) {
            List<Object> location = elements(error.getInstanceLocation());
            if (error.getEvaluationPath().getNameCount() == at + 1) {
                String valid = String.valueOf(error.getArguments()[0]);
                if ("oneOf".equals(error.getKeyword()) && !valid.equals("0")) {
                    return where(location) + ": matches " + valid + " of the allowed forms, but exactly one may match";
                }
                where = location;
            } else {
                int form = Integer.parseInt(String.valueOf(error.getEvaluationPath().getElement(at + 1)));
                forms.computeIfAbsent(form, k -> new ArrayList<>()).add(error);
                where = where == null ? location : common(where, location);
            }
        }
        String prefix = where(where) + ": ";
        List<String> described = new ArrayList<>();
        forms.forEach((form, errors) -> {
            List<String> problems = new ArrayList<>();
            for (String problem : render(root, errors, at + 2)) {
                problems.add(problem.startsWith(prefix) ? problem.substring(prefix.length()) : problem);
            }
            described.add("(" + (form + 1) + ") " + String.join(", ", problems));
        });
        return prefix + "matches none of the allowed forms: " + String.join(" | ", described);
    }

    /** The index of the first oneOf/anyOf keyword at or after {@code from}, skipping property names that look like one. */
    private static int combinator(NodePath path, int from) {
        for (int i = 0; i < path.getNameCount(); i++) {
            String name = String.valueOf(path.getElement(i));
            if (i >= from && (name.equals("oneOf") || name.equals("anyOf"))) {
                return i;
            }
            if (NAMING.contains(name)) {
                i++;
            }
        }
        return -1;
    }

    private static String prefix(NodePath path, int count) {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < count; i++) {
            prefix.append('/').append(path.getElement(i));
        }
        return prefix.toString();
    }

    private static String plain(JsonNode root, Error error) {
        List<Object> at = elements(error.getInstanceLocation());
        String where = where(at);
        JsonNode expected = error.getSchemaNode();
        JsonNode found = error.getInstanceNode();
        return switch (error.getKeyword()) {
            case "required" -> where(with(at, error.getProperty())) + ": required, but missing";
            case "additionalProperties", "unevaluatedProperties" ->
                    where(with(at, error.getProperty())) + ": not expected" + known(root, error);
            case "type" -> where + ": expected " + types(expected) + ", found " + describe(found);
            case "enum" -> where + ": expected one of " + options(expected) + ", found " + describe(found);
            case "const" -> where + ": expected " + expected + ", found " + describe(found);
            case "pattern" -> where + ": expected text matching " + expected.asText();
            case "minimum" -> bound(error, "at least");
            case "maximum" -> bound(error, "at most");
            case "exclusiveMinimum" -> bound(error, "more than");
            case "exclusiveMaximum" -> bound(error, "less than");
            case "multipleOf" -> bound(error, "a multiple of");
            case "minLength" -> where + ": expected at least " + expected.asText() + " character(s)";
            case "maxLength" -> where + ": expected at most " + expected.asText() + " character(s)";
            case "minItems" -> where + ": expected at least " + expected.asText() + " item(s), found " + found.size();
            case "maxItems" -> where + ": expected at most " + expected.asText() + " item(s), found " + found.size();
            default -> where + ": " + error.getMessage();
        };
    }

    private static String bound(Error error, String relation) {
        String where = where(elements(error.getInstanceLocation()));
        // Draft 4 writes exclusiveMinimum as a boolean beside minimum; the library's own words fit that better.
        if (!error.getSchemaNode().isNumber()) {
            return where + ": " + error.getMessage();
        }
        return where + ": expected " + relation + " " + error.getSchemaNode().asText() + ", found "
                + error.getInstanceNode().asText();
    }

    /** "; known: a, b" from the schema holding the additionalProperties, when it can be found in the tool's schema. */
    private static String known(JsonNode root, Error error) {
        NodePath fragment = error.getSchemaLocation().getFragment();
        JsonPointer pointer = JsonPointer.empty();
        for (int i = 0; i < fragment.getNameCount() - 1; i++) {
            pointer = fragment.getElement(i) instanceof Integer index ? pointer.appendIndex(index)
                    : pointer.appendProperty(String.valueOf(fragment.getElement(i)));
        }
        JsonNode holder = root.at(pointer);
        if (!holder.isObject()) {
            return "";
        }
        List<String> known = new ArrayList<>();
        holder.path("properties").fieldNames().forEachRemaining(known::add);
        return "; known: " + (known.isEmpty() ? "none" : String.join(", ", known));
    }

    private static List<Object> elements(NodePath path) {
        List<Object> elements = new ArrayList<>();
        for (int i = 0; i < path.getNameCount(); i++) {
            elements.add(path.getElement(i));
        }
        return elements;
    }

    private static List<Object> with(List<Object> path, String name) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(name);
        return longer;
    }

    private static List<Object> common(List<Object> a, List<Object> b) {
        int n = 0;
        while (n < a.size() && n < b.size() && a.get(n).equals(b.get(n))) {
            n++;
        }
        return a.subList(0, n);
    }

    private static String where(List<Object> path) {
        if (path.isEmpty()) {
            return "the arguments";
        }
        StringBuilder name = new StringBuilder();
        for (Object element : path) {
            if (element instanceof Integer index) {
                name.append('[').append(index).append(']');
            } else {
                name.append(name.isEmpty() ? "" : ".").append(element);
            }
        }
        return "argument '" + name + "'";
    }

    private static String types(JsonNode type) {
        if (!type.isArray()) {
            return article(type.asText());
        }
        List<String> types = new ArrayList<>();
        type.forEach(t -> types.add(article(t.asText())));
        return String.join(" or ", types);
    }

    private static String options(JsonNode allowed) {
        List<String> options = new ArrayList<>();
        allowed.forEach(o -> options.add(o.asText()));
        return String.join(", ", options);
    }

    private static String article(String type) {
        return switch (type) {
            case "object" -> "an object";
            case "array" -> "an array";
            case "integer" -> "an integer";
            case "null" -> "null";
            default -> "a " + type;
        };
    }

    private static String describe(JsonNode value) {
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
