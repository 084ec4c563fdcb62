package dev.steward.skills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes skill folders for tests: SKILL.md with the given front matter lines and body, plus files. */
final class SkillFixture {
    private SkillFixture() {}

    static Path skill(Path parent, String name, String frontMatter, Map<String, String> files) {
        Path folder = parent.resolve(name);
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("SKILL.md"), "---\n" + frontMatter + "\n---\n\n# " + name
                    + "\n\nInstructions.\n");
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path path = folder.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue());
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid skill with one script and the given extra front matter (metadata lines…). */
    static Path withScript(Path parent, String name, String script, String body, String extraFrontMatter) {
        return skill(parent, name, "name: " + name + "\ndescription: A skill for tests.\n" + extraFrontMatter,
                Map.of("scripts/" + script, body));
    }
}
