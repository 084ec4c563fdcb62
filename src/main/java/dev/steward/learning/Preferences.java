package dev.steward.learning;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each user likes each kind of work done, in {@code STEWARD_HOME/preferences.yaml} (user → task type → lines).
 * Approved preference proposals write it as a commit of the configuration repository, so a rollback is a revert and
 * a person may edit it by hand. Read again whenever the file changes, so serve picks up a rollback at once.
 */
public final class Preferences {
    public static final String FILE_NAME = "preferences.yaml";
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build());
    private static final TypeReference<Map<String, Map<String, List<String>>>> SHAPE = new TypeReference<>() {};
    private static final String HEADER = "# How each user likes each kind of work done: user, task type (summary, "
            + "translation, email, code, report, plan, general), lines put into the model's context.\n"
            + "# Written by approved 'steward improve' proposals; edit freely.\n";

    private final Path file;
    private volatile Loaded loaded = new Loaded(null, Map.of());

    private record Loaded(FileTime modified, Map<String, Map<String, List<String>>> byUser) {}

    public Preferences(Path home) {
        this.file = home.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** The lines for this user and this kind of request, general ones included; empty when none apply. */
    public List<String> forRequest(String userId, String request) {
        Map<String, List<String>> mine = current().byUser().getOrDefault(userId, Map.of());
        List<String> lines = new ArrayList<>(mine.getOrDefault(TaskType.of(request).id(), List.of()));
        if (TaskType.of(request) != TaskType.GENERAL) {
            lines.addAll(mine.getOrDefault(TaskType.GENERAL.id(), List.of()));
        }
        return lines.stream().distinct().toList();
    }

    /** The system message that carries the preferences into a request, or empty text. */
    public String context(String userId, String request) {
        List<String> lines = forRequest(userId, request);
        if (lines.isEmpty()) {
            return "";
        }
        return "The user's preferences for " + TaskType.of(request).id() + " requests (follow them):\n- "
                + String.join("\n- ", lines);
    }

    /** Everything, user → type → lines. */
    public Map<String, Map<String, List<String>>> all() {
        return current().byUser();
    }

    /** Adds lines (those not there yet) for a user and type, writing the file in one rename. */
    void add(String userId, TaskType type, List<String> lines) {
        Map<String, Map<String, List<String>>> next = new LinkedHashMap<>();
        current().byUser().forEach((u, types) -> next.put(u, new LinkedHashMap<>(types)));
        Map<String, List<String>> types = next.computeIfAbsent(userId, u -> new LinkedHashMap<>());
        List<String> merged = new ArrayList<>(types.getOrDefault(type.id(), List.of()));
        lines.stream().filter(l -> !merged.contains(l)).forEach(merged::add);
        types.put(type.id(), merged);
        write(next);
    }

    private void write(Map<String, Map<String, List<String>>> all) {
        try {
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(tmp, HEADER + YAML.writeValueAsString(all), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private Loaded current() {
        Loaded known = loaded;
        try {
            if (!Files.exists(file)) {
                return known.modified() == null ? known : (loaded = new Loaded(null, Map.of()));
            }
            FileTime modified = Files.getLastModifiedTime(file);
            if (modified.equals(known.modified())) {
                return known;
            }
            Map<String, Map<String, List<String>>> read = YAML.readValue(file.toFile(), SHAPE);
            Loaded fresh = new Loaded(modified, read == null ? Map.of() : read);
            loaded = fresh;
            return fresh;
        } catch (IOException e) {
            throw new IllegalStateException(file + " cannot be read: " + e.getMessage()
                    + " (fix it by hand, or 'steward improve rollback ID' the change that wrote it)", e);
        }
    }
}
