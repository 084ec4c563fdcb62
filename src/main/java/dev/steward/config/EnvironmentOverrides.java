package dev.steward.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.steward.support.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** STEWARD_* variables laid over the file: STEWARD_ROUTING_MODE sets routing.mode, and so on for every key. */
final class EnvironmentOverrides {
    /** STEWARD_* variables that are not configuration keys. */
    private static final Set<String> RESERVED = Set.of(
            "STEWARD_HOME", "STEWARD_DEBUG", "STEWARD_JAVA_HOME", "STEWARD_JAVA_OPTS", "STEWARD_NO_BUILD",
            "STEWARD_JDK_ROOTS", "STEWARD_SECRETS_KEYSET", "STEWARD_SECRETS_KEYSET_FILE");

    private EnvironmentOverrides() {}

    /**
     * What the environment set.
     *
     * @param variables the variable that set each pointer, such as /routing/mode to STEWARD_ROUTING_MODE
     * @param warnings  one line for each STEWARD_* variable that is not a setting, and so was ignored
     */
    record Applied(Map<String, String> variables, List<String> warnings) {
        Applied {
            variables = Map.copyOf(variables);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Lays the STEWARD_* variables of {@code env} over the tree, except those the file itself refers to as ${NAME}.
     * One that is not a setting is only a warning: other software and users' scripts use the prefix too.
     */
    static Applied apply(ObjectNode tree, Map<String, String> env, Set<String> referenced) {
        Map<String, String> keys = new TreeMap<>();
        Map<String, String> applied = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith("STEWARD_") || RESERVED.contains(name) || referenced.contains(name)) {
                continue;
            }
            if (keys.isEmpty()) { // only with a variable to place: writing out the defaults is 4 % of a short command
                collectLeaves(ConfigText.YAML.copy().setSerializationInclusion(JsonInclude.Include.ALWAYS)
                        .valueToTree(ConfigFile.DEFAULTS), "", keys);
            }
            String pointer = keys.get(name);
            if (pointer == null) {
                warnings.add(name + " is not a Steward setting"
                        + Text.closest(name, keys.keySet()).map(c -> " (did you mean " + c + "?)").orElse("") + "; ignored");
                continue;
            }
            String[] parts = pointer.substring(1).split("/");
            ObjectNode parent = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = parent.get(parts[i]);
                parent = child instanceof ObjectNode object ? object : parent.putObject(parts[i]);
            }
            parent.set(parts[parts.length - 1], variable.getValue().isEmpty()
                    ? NullNode.getInstance() : TextNode.valueOf(variable.getValue()));
            applied.put(pointer, name);
        }
        return new Applied(applied, warnings);
    }

    /** Each setting's variable name, mapped to its pointer: STEWARD_ROUTING_MODE to /routing/mode. */
    private static void collectLeaves(JsonNode node, String pointer, Map<String, String> out) {
        if (node.isObject()) {
            // Entries of maps keyed by names (tools such as files.delete, users) are not settings of their own.
            node.fields().forEachRemaining(f -> {
                if (f.getKey().matches("[a-z0-9_]+")) {
                    collectLeaves(f.getValue(), pointer + "/" + f.getKey(), out);
                }
            });
        } else if (!node.isArray()) {
            out.put("STEWARD" + pointer.replace('/', '_').toUpperCase(Locale.ROOT), pointer);
        }
    }
}
