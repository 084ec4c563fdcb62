package dev.steward.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The text of a configuration file, kept beside the tree read from it so that every error can name the line of
 * the key it is about.
 */
record ConfigText(Path file, String text) {
    static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** A value written as ${NAME} comes from the environment variable NAME. */
    static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /** The text as a tree of keys (empty for an empty file); a YAML mistake is a ConfigException at its line. */
    ObjectNode tree() {
        try {
            JsonNode node = YAML.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw ConfigException.inFile(file, 1, null, "the file must be a mapping of keys to values",
                        "start from the commented template: move the file away and run steward again");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            int line = where == null ? 0 : where.getLineNr();
            String problem = e.getOriginalMessage().lines().findFirst().orElse("");
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                // SnakeYAML's first line is the context ("while scanning ..."); the problem and its line say more.
                line = yaml.getProblemMark().getLine() + 1;
                problem = yaml.getProblem();
            }
            Matcher duplicate = Pattern.compile("Duplicate field '(.*)'").matcher(problem);
            if (duplicate.matches()) {
                throw ConfigException.inFile(file, line, duplicate.group(1), "this key is written twice at the same level",
                        "keep one of them: only the last would count");
            }
            throw ConfigException.inFile(file, line, null, "this is not valid YAML (" + problem + ")",
                    problem.contains("TAB")
                            ? "indent with spaces, not tabs"
                            : "check the indentation and quoting around that line");
        }
    }

    /** The file and the line of the key at a pointer ({@code file:line}), or the file alone if the key is not there. */
    String at(String pointer) {
        int line = lineOf(pointer);
        return line > 0 ? file + ":" + line : file.toString();
    }

    /** The line of the key at a JSON pointer such as {@code /providers/0/base_url}, or 0 if it is not in the text. */
    int lineOf(String pointer) {
        return firstLine(pointer, false);
    }

    /** The line of the first key inside the entry at a pointer such as {@code /providers/0}, or 0. */
    int firstLineUnder(String pointer) {
        return firstLine(pointer, true);
    }

    private int firstLine(String pointer, boolean under) {
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                String at = parser.getParsingContext().pathAsPointer().toString();
                if (token == JsonToken.FIELD_NAME && (under ? at.startsWith(pointer + "/") : at.equals(pointer))) {
                    return parser.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // The text was parsed once already; a failure here only costs the line number.
        }
        return 0;
    }

    /** Variables the file names as ${NAME}: those are the user's own, even when they start with STEWARD_. */
    Set<String> referencedVariables() {
        Set<String> names = new HashSet<>();
        Matcher reference = ENV_REFERENCE.matcher(text);
        while (reference.find()) {
            names.add(reference.group(1));
        }
        return names;
    }
}
