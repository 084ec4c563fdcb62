package dev.steward.skills;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What SKILL.md says: the front matter's fields as written (YAML block scalars and quoted strings included), the
 * fields the format does not define kept in {@code extra}, and the Markdown body.
 *
 * @param allowedTools the tools the skill expects to use ({@code allowed-tools}, space-separated or a list)
 * @param metadata     free key/value pairs; Steward's own permissions live here (see {@link Permissions})
 * @param bodyLine     the line of SKILL.md where the body starts, for findings in it
 */
public record SkillManifest(String name, String description, String license, String compatibility,
                            List<String> allowedTools, Map<String, String> metadata, Map<String, JsonNode> extra,
                            String body, int bodyLine) {
    static final String FILE = "SKILL.md";
    static final Set<String> KNOWN = Set.of("name", "description", "license", "compatibility", "allowed-tools",
            "metadata");
    static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    static final int MAX_NAME = 64;
    static final int MAX_DESCRIPTION = 1024;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The manifest and what reading it found; the manifest is null when the front matter cannot be read at all. */
    public record Parsed(SkillManifest manifest, List<Finding> findings) {}

    /** Reads SKILL.md's text; {@code folder} is the name of the folder it is in (the name must equal it). */
    public static Parsed parse(String text, String folder) {
        List<Finding> findings = new ArrayList<>();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        int first = 0;
        if (lines.length > 0 && lines[0].startsWith("\uFEFF")) {
            lines[0] = lines[0].substring(1);
        }
        if (lines.length == 0 || !lines[first].strip().equals("---")) {
            findings.add(Finding.of(Rule.FRONT_MATTER, FILE, 1, "SKILL.md must start with a '---' line, then the "
                    + "front matter (name, description), then another '---' line"));
            return new Parsed(null, findings);
        }
        int end = -1;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].strip().equals("---") || lines[i].strip().equals("...")) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            findings.add(Finding.of(Rule.FRONT_MATTER, FILE, 1, "the front matter has no closing '---' line"));
            return new Parsed(null, findings);
        }
        String yaml = String.join("\n", java.util.Arrays.copyOfRange(lines, 1, end));
        JsonNode tree;
        try {
            tree = yaml.isBlank() ? YAML.createObjectNode() : YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr() + 1;
            findings.add(Finding.of(Rule.FRONT_MATTER, FILE, line, "the front matter is not valid YAML: "
                    + e.getOriginalMessage() + "; quote a value that contains ': ' or starts with a special character"));
            return new Parsed(null, findings);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            tree = YAML.createObjectNode();
        }
        if (!tree.isObject()) {
            findings.add(Finding.of(Rule.FRONT_MATTER, FILE, 2, "the front matter must be a map of fields "
                    + "(name: …, description: …), not a " + tree.getNodeType().name().toLowerCase()));
            return new Parsed(null, findings);
        }
        ObjectNode fields = (ObjectNode) tree;
        Lines at = new Lines(lines, end);
        String name = text(fields, "name", at, findings);
        String description = text(fields, "description", at, findings);
        String license = text(fields, "license", at, findings);
        String compatibility = text(fields, "compatibility", at, findings);
        checkName(name, folder, at, findings);
        checkDescription(description, at, findings);
        List<String> allowed = allowedTools(fields.get("allowed-tools"), at, findings);
        Map<String, String> metadata = metadata(fields.get("metadata"), at, findings);
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        fields.properties().forEach(e -> {
            if (!KNOWN.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
                findings.add(Finding.of(Rule.UNKNOWN_FIELD, FILE, at.of(e.getKey()), "'" + e.getKey()
                        + "' is not a field of the Agent Skills format; it is kept but not used (Steward's own "
                        + "settings go under metadata)"));
            }
        });
        String body = String.join("\n", java.util.Arrays.copyOfRange(lines, end + 1, lines.length)).strip();
        return new Parsed(new SkillManifest(name, description, license, compatibility, allowed, metadata, extra, body,
                end + 2), findings);
    }

    /** Line numbers of top-level keys in the front matter, for findings. */
    private record Lines(String[] lines, int end) {
        int of(String key) {
            for (int i = 1; i < end; i++) {
                if (lines[i].startsWith(key + ":")) {
                    return i + 1;
                }
            }
            return 1;
        }
    }

    private static String text(ObjectNode fields, String key, Lines at, List<Finding> findings) {
        JsonNode value = fields.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            findings.add(Finding.of(key.equals("name") ? Rule.NAME : key.equals("description") ? Rule.DESCRIPTION
                    : Rule.FIELD_TYPE, FILE, at.of(key), "'" + key + "' must be a string, not a "
                    + value.getNodeType().name().toLowerCase()));
            return null;
        }
        return value.asText();
    }

    private static void checkName(String name, String folder, Lines at, List<Finding> findings) {
        int line = at.of("name");
        if (name == null) {
            if (at.of("name") == 1) {
                findings.add(Finding.of(Rule.NAME, FILE, 1, "the front matter has no 'name'; add name: " + folder));
            }
        } else if (name.length() > MAX_NAME) {
            findings.add(Finding.of(Rule.NAME, FILE, line, "'name' is " + name.length() + " characters; at most "
                    + MAX_NAME));
        } else if (!NAME.matcher(name).matches()) {
            findings.add(Finding.of(Rule.NAME, FILE, line, "'name' is '" + name + "': use lower-case letters, digits "
                    + "and single hyphens, not at the start or end (like 'csv-summary')"));
        } else if (folder != null && !name.equals(folder)) {
            findings.add(Finding.of(Rule.NAME, FILE, line, "'name' is '" + name + "' but the folder is '" + folder
                    + "'; they must be equal (rename one)"));
        }
    }

    private static void checkDescription(String description, Lines at, List<Finding> findings) {
        if (description == null) {
            if (at.of("description") == 1) {
                findings.add(Finding.of(Rule.DESCRIPTION, FILE, 1, "the front matter has no 'description'; add one "
                        + "line saying what the skill does and when to use it"));
            }
        } else if (description.isBlank()) {
            findings.add(Finding.of(Rule.DESCRIPTION, FILE, at.of("description"), "'description' is empty; say what "
                    + "the skill does and when to use it"));
        } else if (description.length() > MAX_DESCRIPTION) {
            // A warning, not a refusal: real skills exceed it, and the prompt keeps descriptions within a budget anyway.
            findings.add(new Finding(FILE, at.of("description"), Rule.DESCRIPTION.id(), Finding.Severity.WARNING,
                    "'description' is " + description.length() + " characters; the format allows at most "
                    + MAX_DESCRIPTION + " (move detail into the body); it is shortened where models see it"));
        }
    }

    private static List<String> allowedTools(JsonNode value, Lines at, List<Finding> findings) {
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return List.of(value.asText().trim().split("[\\s,]+")).stream().filter(s -> !s.isEmpty()).toList();
        }
        if (value.isArray()) {
            List<String> tools = new ArrayList<>();
            value.forEach(t -> tools.add(t.asText()));
            return List.copyOf(tools);
        }
        findings.add(Finding.of(Rule.FIELD_TYPE, FILE, at.of("allowed-tools"), "'allowed-tools' must be a "
                + "space-separated string or a list of tool names"));
        return List.of();
    }

    private static Map<String, String> metadata(JsonNode value, Lines at, List<Finding> findings) {
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            findings.add(Finding.of(Rule.FIELD_TYPE, FILE, at.of("metadata"), "'metadata' must be a map of keys to "
                    + "values (metadata:\\n  steward-network: \"true\")"));
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        value.properties().forEach(e -> map.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText()
                : e.getValue().toString()));
        return map;
    }
}
