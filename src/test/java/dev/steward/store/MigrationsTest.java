package dev.steward.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class MigrationsTest {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void theShortcutPastFlywayKnowsTheNewestMigration() throws IOException, URISyntaxException {
        Path folder = Path.of(getClass().getClassLoader().getResource("db/migration").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            int newest = files.map(f -> VERSIONED.matcher(f.getFileName().toString()))
                    .filter(Matcher::matches)
                    .map(m -> Integer.parseInt(m.group(1)))
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
            assertThat(Database.LATEST_SCHEMA_VERSION)
                    .as("Database.LATEST_SCHEMA_VERSION must name the newest file in db/migration")
                    .isEqualTo(String.valueOf(newest));
        }
    }
}
