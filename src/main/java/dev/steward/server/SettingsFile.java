package dev.steward.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.steward.config.ConfigException;
import dev.steward.config.ConfigLoader;
import dev.steward.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes settings changed over HTTP into {@code steward.yaml}: each changed top-level section is replaced as a whole,
 * every other line (and every comment) stays as it was. The result is checked by loading it as Steward would before
 * it replaces the file, so a bad value is refused with the loader's own message and the file is never left broken.
 */
final class SettingsFile {
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());

    private SettingsFile() {}

    /** The text with section {@code key} replaced by {@code value} (appended when the file has none). */
    static String replaceSection(String text, String key, JsonNode value) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        Pattern start = Pattern.compile("^" + Pattern.quote(key) + "\\s*:.*$");
        int from = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (start.matcher(lines.get(i)).matches()) {
                from = i;
                break;
            }
        }
        List<String> block = yaml(key, value);
        if (from < 0) {
            if (!lines.isEmpty() && lines.getLast().isEmpty()) {
                lines.removeLast();
            }
            lines.add("");
            lines.addAll(block);
            lines.add("");
            return String.join("\n", lines);
        }
        int to = from + 1;
        while (to < lines.size() && (lines.get(to).isEmpty() || Character.isWhitespace(lines.get(to).charAt(0)))) {
            to++;
        }
        while (to > from + 1 && lines.get(to - 1).isBlank()) {
            to--; // keep the blank line that separated the section from the next
        }
        lines.subList(from, to).clear();
        lines.addAll(from, block);
        return String.join("\n", lines);
    }

    /**
     * The text with section {@code key} changed as a JSON Merge Patch (RFC 7386) says: keys sent replace theirs,
     * nested objects merge, a null removes its key, and keys not sent keep what the file has.
     */
    static String patchSection(String text, String key, JsonNode patch) {
        JsonNode current;
        try {
            current = text.isBlank() ? null : YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("steward.yaml cannot be read: " + e.getOriginalMessage(),
                    "fix the file by hand ('steward config show' says where), then try again");
        }
        JsonNode section = current == null ? null : current.get(key);
        ObjectNode merged = section != null && section.isObject() ? ((ObjectNode) section).deepCopy() : Json.object();
        return replaceSection(text, key, merge(merged, patch));
    }

    private static ObjectNode merge(ObjectNode target, JsonNode patch) {
        patch.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            JsonNode existing = target.get(field.getKey());
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && existing != null && existing.isObject()) {
                merge((ObjectNode) existing, value);
            } else {
                target.set(field.getKey(), value);
            }
        });
        return target;
    }

    private static List<String> yaml(String key, JsonNode value) {
        try {
            String text = YAML.writeValueAsString(Map.of(key, value));
            return List.of(text.strip().split("\n"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML: " + e.getMessage(), e);
        }
    }

    /**
     * Checks {@code text} as a configuration, then puts it in place of {@code file}; a bad value is a 400. It is
     * checked as the next start will load it: with this process's environment, so that {@code ${VAR}} references
     * resolve as they will then.
     */
    static void save(Path file, String text) {
        Path check = null;
        try {
            check = Files.createTempDirectory("steward-settings-check");
            Files.writeString(check.resolve(ConfigLoader.FILE_NAME), text, StandardCharsets.UTF_8);
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("STEWARD_HOME", check.toString());
            new ConfigLoader(env).load();
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, text, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (ConfigException e) {
            String checked = check.resolve(ConfigLoader.FILE_NAME).toString();
            throw ApiError.badRequest(e.getMessage().replace(checked, "steward.yaml"), e.fix());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            delete(check);
        }
    }

    private static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder left behind is harmless.
        }
    }

    static JsonNode section(JsonNode body, String key) {
        JsonNode value = body.get(key);
        if (value == null || !value.isObject()) {
            throw ApiError.badRequest("'" + key + "' must be an object", "send it as steward.yaml has it, e.g. "
                    + Json.write(Json.object().set(key, Json.object().put("mode", "local"))));
        }
        return value;
    }
}
