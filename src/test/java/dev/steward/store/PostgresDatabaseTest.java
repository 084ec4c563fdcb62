package dev.steward.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.DatabaseConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A jdbc:postgresql URL gets the same schema from the same migrations as the embedded database. */
@ExtendWith(TestPostgres.class)
class PostgresDatabaseTest {
    @TempDir
    Path home;

    @Test
    void anEmptyDatabaseGetsTheSchemaAndTheLocalUser(TestPostgres.Server server) {
        DatabaseConfig postgres = server.newDatabase();
        try (Database database = Database.open(home, postgres)) {
            assertThat(database.dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
            assertThat(database.url()).isEqualTo(postgres.url());
            List<String> tables = database.jdbi().withHandle(h -> h.createQuery(
                            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
                    .mapTo(String.class).list());
            assertThat(tables).contains("users", "tasks", "task_events", "model_calls");
            List<String> users = database.jdbi().withHandle(h -> h.createQuery("SELECT name || '/' || role FROM users")
                    .mapTo(String.class).list());
            assertThat(users).containsExactly("local/admin");
            assertThat(database.schemaVersion()).isEqualTo(DatabaseTest.latestMigration());
        }
    }

    @Test
    void aSchemaNamedInTheUrlGetsItsOwnTables(DatabaseConfig postgres) {
        try (Database database = Database.open(home, postgres)) {
            assertThat(postgres.url()).contains("currentSchema=");
            assertThat(DatabaseTest.count(database, "SELECT COUNT(*) FROM information_schema.tables"
                    + " WHERE table_schema = current_schema() AND table_name IN ('tasks', 'flyway_schema_history')"))
                    .isEqualTo(2);
        }
    }

    @Test
    void reopeningIsIdempotent(DatabaseConfig postgres) {
        Database.open(home, postgres).close();
        try (Database database = Database.open(home, postgres)) {
            assertThat(database.schemaVersion()).isEqualTo(DatabaseTest.latestMigration());
            assertThat(DatabaseTest.count(database, "SELECT COUNT(*) FROM flyway_schema_history WHERE version IS NOT NULL"))
                    .isEqualTo(DatabaseTest.migrationCount());
            assertThat(DatabaseTest.count(database, "SELECT COUNT(*) FROM users")).isEqualTo(1);
        }
    }

    @Test
    void nodesStartingOnAnEmptyDatabaseAtOnceMigrateItOnce(DatabaseConfig postgres) throws Exception {
        int nodes = 3;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<Database> opened = new ArrayList<>();
        try {
            CyclicBarrier start = new CyclicBarrier(nodes);
            List<Future<Database>> futures = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return Database.open(home, postgres);
                }));
            }
            for (Future<Database> future : futures) {
                opened.add(future.get(60, TimeUnit.SECONDS));
            }
            assertThat(DatabaseTest.count(opened.get(0), "SELECT COUNT(*) FROM users")).isEqualTo(1);
            assertThat(opened.get(2).schemaVersion()).isEqualTo(DatabaseTest.latestMigration());
        } finally {
            pool.shutdownNow();
            opened.forEach(Database::close);
        }
    }
}
