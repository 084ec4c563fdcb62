package dev.steward.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's native library comes from one copy in the home's cache, made by the first start and reused by the next. A
 * JVM loads it once, so each start here is a JVM of its own.
 */
class SqliteNativeTest {
    @TempDir
    Path temp;

    /** Opens the database of the home in args[0] and prints where the native library was loaded from. */
    public static void main(String[] args) {
        try (Database database = Database.open(Path.of(args[0]), DatabaseConfig.embedded())) {
            System.out.println(database.schemaVersion());
            System.out.println(System.getProperty("org.sqlite.lib.path") + "/" + System.getProperty("org.sqlite.lib.name"));
        }
    }

    private List<String> start(Path home) throws Exception {
        try (ChildJvm child = ChildJvm.start("start", temp, SqliteNativeTest.class, home.toString())) {
            assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.stderr()).isZero();
            return child.lines();
        }
    }

    @Test
    void theFirstStartKeepsACopyInTheHomesCacheAndTheNextLoadsItUnchanged() throws Exception {
        Path home = temp.resolve("home");

        List<String> first = start(home);
        Path copy = Path.of(first.get(1));
        long madeAt = Files.getLastModifiedTime(copy).toMillis();
        List<String> second = start(home);

        assertThat(first.get(0)).isEqualTo(Database.newestSchemaVersion());
        assertThat(copy).startsWith(home.resolve("cache/native")).isRegularFile();
        assertThat(copy.getFileName().toString()).isEqualTo("libsqlitejdbc.so");
        assertThat(second).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(copy).toMillis()).as("not copied again").isEqualTo(madeAt);
        try (Stream<Path> files = Files.list(copy.getParent())) {
            assertThat(files).as("no half-written copies left").containsExactly(copy);
        }
    }

    @Test
    void aCopyOfTheWrongSizeIsReplaced() throws Exception {
        Path home = temp.resolve("home");
        Path copy = Path.of(start(home).get(1));
        Files.writeString(copy, "truncated");

        List<String> again = start(home);

        assertThat(again.get(0)).isEqualTo(Database.newestSchemaVersion());
        assertThat(Files.size(copy)).isGreaterThan(100_000);
    }
}
