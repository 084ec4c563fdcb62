package dev.steward.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where the configuration lives: STEWARD_HOME and its steward.yaml, both created on first run. */
final class ConfigHome {
    private ConfigHome() {}

    /** STEWARD_HOME, or ~/.steward. */
    static Path of(Map<String, String> env) {
        String home = env.get("STEWARD_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".steward");
    }

    /** The text of {@code file}, creating the home, its workspace and a commented file first if they are missing. */
    static String read(Path home, Path file) {
        create(home, file);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), null, "cannot read the file (" + e.getMessage() + ")",
                    "check its permissions, or move it away to get a fresh default");
        }
    }

    private static void create(Path home, Path file) {
        try {
            Files.createDirectories(home);
            Files.createDirectories(home.resolve("workspace"));
            if (Files.notExists(file)) {
                try (InputStream template = ConfigHome.class.getResourceAsStream(ConfigLoader.FILE_NAME)) {
                    Files.write(file, template.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new ConfigException("STEWARD_HOME=" + home, null,
                    "cannot create the Steward home (" + e.getMessage() + ")",
                    "set STEWARD_HOME to a folder you can write to");
        }
    }
}
