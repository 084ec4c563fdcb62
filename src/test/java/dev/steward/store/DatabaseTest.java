package dev.steward.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.ConfigException;
import dev.steward.config.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded SQLite database: what a fresh home gets, and how every connection to it is set up. */
class DatabaseTest {
    @TempDir
    Path home;

    @Test
    void aFreshHomeGetsTheSchemaAndTheLocalUser() {
        Database database = Database.open(home, DatabaseConfig.embedded());

        assertThat(database.dialect()).isEqualTo(Database.Dialect.SQLITE);
        assertThat(home.resolve("steward.db")).isRegularFile();
        assertThat(database.url()).isEqualTo("jdbc:sqlite:" + home.resolve("steward.db").toAbsolutePath());
        assertThat(tables(database)).contains("users", "tasks", "task_events", "model_calls");
        List<String> users = database.jdbi().withHandle(h -> h.createQuery("SELECT name || '/' || role FROM users")
                .mapTo(String.class).list());
        assertThat(users).containsExactly("local/admin");
        assertThat(database.schemaVersion()).isEqualTo(latestMigration());
    }

    @Test
    void everyConnectionWaitsForOtherWritersInWalModeWithForeignKeysOn() {
        Database database = Database.open(home, DatabaseConfig.embedded());

        // Handles open at once hold distinct connections: check several, not just one reused from the pool.
        List<Handle> handles = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                handles.add(database.jdbi().open());
            }
            for (Handle h : handles) {
                assertThat(h.createQuery("PRAGMA journal_mode").mapTo(String.class).one()).isEqualToIgnoringCase("wal");
                assertThat(h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one())
                        .as("busy_timeout in ms").isGreaterThanOrEqualTo(10_000);
                assertThat(h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one()).isEqualTo(1);
            }
        } finally {
            handles.forEach(Handle::close);
        }
    }

    @Test
    void aTransactionTakesTheWriteLockAtBeginAndAnotherWriterWaitsForIt() throws Exception {
        Database database = Database.open(home, DatabaseConfig.embedded());
        Thread[] other = new Thread[1];

        // BEGIN IMMEDIATE: a transaction that reads first is never refused its upgrade to a writer (SQLITE_BUSY_SNAPSHOT,
        // which busy_timeout does not cover); meanwhile another connection's write waits instead of failing.
        database.jdbi().useTransaction(h -> {
            h.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one();
            other[0] = Thread.ofPlatform().start(() -> database.jdbi().useHandle(o ->
                    o.execute("INSERT INTO users (id, name, role, created_at) VALUES ('b', 'b', 'user', 0)")));
            other[0].join(500);
            assertThat(other[0].isAlive()).as("the second writer waits for the open transaction").isTrue();
            h.execute("INSERT INTO users (id, name, role, created_at) VALUES ('a', 'a', 'user', 0)");
        });
        other[0].join(10_000);

        assertThat(other[0].isAlive()).isFalse();
        assertThat(count(database, "SELECT COUNT(*) FROM users")).isEqualTo(3);
    }

    @Test
    void aWriterThatFailsOrAbandonsItsTransactionLetsTheNextWriterIn() throws Exception {
        Database database = Database.open(home, DatabaseConfig.embedded());

        assertThatThrownBy(() -> database.jdbi().useTransaction(h -> {
            h.execute("INSERT INTO users (id, name, role, created_at) VALUES ('a', 'a', 'user', 0)");
            throw new IllegalStateException("the work failed half-way");
        })).hasMessageContaining("half-way");
        assertThatThrownBy(() -> {
            try (Handle abandoned = database.jdbi().open()) {
                abandoned.begin(); // closed without commit or rollback: Jdbi rolls back and complains
                abandoned.execute("INSERT INTO users (id, name, role, created_at) VALUES ('b', 'b', 'user', 0)");
            }
        }).hasMessageContaining("open transaction was closed");
        Thread next = Thread.ofVirtual().start(() -> database.jdbi().useHandle(h ->
                h.execute("INSERT INTO users (id, name, role, created_at) VALUES ('c', 'c', 'user', 0)")));

        assertThat(next.join(java.time.Duration.ofSeconds(10))).as("the next writer got in").isTrue();
        assertThat(count(database, "SELECT COUNT(*) FROM users")).isEqualTo(2);
    }

    @Test
    void reopeningIsIdempotentAndKeepsTheRows() {
        Database first = Database.open(home, DatabaseConfig.embedded());
        first.jdbi().useHandle(h -> h.execute(
                "INSERT INTO users (id, name, role, created_at) VALUES ('ann', 'ann', 'user', 1)"));

        Database second = Database.open(home, DatabaseConfig.embedded());
        Database third = Database.open(home, DatabaseConfig.embedded());

        assertThat(third.schemaVersion()).isEqualTo(second.schemaVersion()).isEqualTo(latestMigration());
        assertThat(count(third, "SELECT COUNT(*) FROM users")).isEqualTo(2);
        assertThat(count(third, "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL"))
                .as("each migration is applied once").isEqualTo(migrationCount());
    }

    @Test
    void threadsOpeningAFreshHomeAtOnceAllSucceed() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 3; round++) {
                Path fresh = Files.createDirectory(home.resolve("round-" + round));
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Database>> opened = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    opened.add(pool.submit(() -> {
                        start.await();
                        return Database.open(fresh, DatabaseConfig.embedded());
                    }));
                }
                for (Future<Database> database : opened) {
                    assertThat(database.get(30, TimeUnit.SECONDS).schemaVersion()).isEqualTo(latestMigration());
                }
                Database any = opened.get(0).get();
                assertThat(count(any, "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL"))
                        .isEqualTo(migrationCount());
                assertThat(count(any, "SELECT COUNT(*) FROM users WHERE id = 'local'")).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExplicitSqliteUrlIsUsedInsteadOfTheHome() {
        Path file = home.resolve("elsewhere").resolve("other.db");

        Database database = Database.open(home, new DatabaseConfig("jdbc:sqlite:" + file, null, null));

        assertThat(file).isRegularFile();
        assertThat(home.resolve("steward.db")).doesNotExist();
        assertThat(tables(database)).contains("tasks");
    }

    @Test
    void anUnknownUrlIsAConfigurationMistake() {
        assertThatThrownBy(() -> Database.open(home, new DatabaseConfig("jdbc:mysql://localhost/steward", null, null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("database.url")
                .hasMessageContaining("jdbc:mysql://localhost/steward");
    }

    @Test
    void aDamagedFileIsReportedWithAFix() throws Exception {
        Files.write(home.resolve("steward.db"), "this is not a database, just some text long enough".repeat(100).getBytes());

        assertThatThrownBy(() -> Database.open(home, DatabaseConfig.embedded()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(home.resolve("steward.db").toString())
                .satisfies(e -> assertThat(((StoreException) e).fix()).isNotBlank());
    }

    static List<String> tables(Database database) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .mapTo(String.class).list());
    }

    static long count(Database database, String sql) {
        return database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    /** The version of the newest migration in db/migration, e.g. "1". */
    /** The newest migration's version (versions may have gaps while parallel work lands). */
    static String latestMigration() {
        try (var files = Files.list(Path.of(DatabaseTest.class.getClassLoader().getResource("db/migration").toURI()))) {
            return String.valueOf(files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static int migrationCount() {
        try (var files = Files.list(Path.of(DatabaseTest.class.getClassLoader().getResource("db/migration").toURI()))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
