package dev.steward.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.steward.config.secrets.SecretStore;
import dev.steward.config.secrets.SecretStoreException;
import dev.steward.support.Lazy;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}} and {@code ${secret:NAME}} in any value of steward.yaml, replaced by the environment variable or the
 * stored secret before the keys are mapped; a reference to nothing is the user's mistake, named with its line.
 */
final class ConfigReferences {
    /** ${NAME} for a variable, ${secret:NAME} for a stored secret. */
    private static final Pattern REFERENCE = Pattern.compile(
            "\\$\\{(?:secret:([A-Za-z][A-Za-z0-9_.-]*)|([A-Za-z_][A-Za-z0-9_]*))}");

    private final ConfigText source;
    private final Map<String, String> env;
    private final Lazy<SecretStore> secrets;

    ConfigReferences(ConfigText source, Map<String, String> env, Lazy<SecretStore> secrets) {
        this.source = source;
        this.env = env;
        this.secrets = secrets;
    }

    /** Replaces every reference in the tree's text values, in place. */
    void resolve(ObjectNode tree) {
        walk(tree, tree, "");
    }

    private void walk(ObjectNode root, JsonNode node, String pointer) {
        if (node instanceof ObjectNode object) {
            object.fieldNames().forEachRemaining(name -> {
                JsonNode child = object.get(name);
                String at = pointer + "/" + name;
                if (child.isTextual()) {
                    object.set(name, TextNode.valueOf(substitute(root, child.asText(), at)));
                } else {
                    walk(root, child, at);
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode child = array.get(i);
                if (child.isTextual()) {
                    array.set(i, TextNode.valueOf(substitute(root, child.asText(), pointer + "/" + i)));
                } else {
                    walk(root, child, pointer + "/" + i);
                }
            }
        }
    }

    private String substitute(ObjectNode root, String value, String pointer) {
        if (!value.contains("${")) {
            return value;
        }
        Matcher reference = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (reference.find()) {
            String replacement = reference.group(1) != null
                    ? secret(root, reference.group(1), pointer)
                    : variable(root, reference.group(2), pointer);
            reference.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        reference.appendTail(out);
        return out.toString();
    }

    private String variable(ObjectNode root, String name, String pointer) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw ConfigException.inFile(source.file(), source.lineOf(pointer), ConfigMapping.keyOf(root, pointer),
                    "refers to " + name + ", which is not set",
                    "export " + name + "=... or write the value in the file (or store it: steward secrets set "
                            + name + ", and write ${secret:" + name + "})");
        }
        return value;
    }

    private String secret(ObjectNode root, String name, String pointer) {
        String key = ConfigMapping.keyOf(root, pointer);
        try {
            return secrets.get().get(name).orElseThrow(() -> ConfigException.inFile(source.file(),
                    source.lineOf(pointer), key, "refers to the secret " + name + ", which is not stored",
                    "store it with: steward secrets set " + name + "  (the value is read from standard input)"));
        } catch (SecretStoreException e) {
            throw ConfigException.inFile(source.file(), source.lineOf(pointer), key, e.getMessage(), null);
        }
    }
}
