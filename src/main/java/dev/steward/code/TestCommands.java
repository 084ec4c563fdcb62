package dev.steward.code;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** How a project's tests are run, told from its files when the user does not say. */
final class TestCommands {
    private TestCommands() {}

    /** The test command for the project, or null when its files do not tell. */
    static String detect(Path project) {
        if (Files.isRegularFile(project.resolve("Makefile")) && mentions(project.resolve("Makefile"), "test:")) {
            return "make test";
        }
        if (Files.isRegularFile(project.resolve("test.sh"))) {
            return "sh test.sh";
        }
        if (Files.isRegularFile(project.resolve("package.json")) && mentions(project.resolve("package.json"),
                "\"test\"")) {
            return "npm test --offline";
        }
        if (Files.isRegularFile(project.resolve("pytest.ini")) || Files.isRegularFile(project.resolve("conftest.py"))) {
            return "python3 -m pytest -q";
        }
        if (hasPythonTests(project)) {
            return "python3 -m unittest discover -v";
        }
        return null;
    }

    private static boolean hasPythonTests(Path project) {
        for (Path dir : List.of(project, project.resolve("tests"))) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.map(p -> p.getFileName().toString())
                            .anyMatch(n -> n.startsWith("test") && n.endsWith(".py"))) {
                        return true;
                    }
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private static boolean mentions(Path file, String text) {
        try {
            return Files.readString(file).contains(text);
        } catch (IOException e) {
            return false;
        }
    }
}
