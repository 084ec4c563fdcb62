package dev.steward.store;

import dev.steward.config.DatabaseConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The stores on PostgreSQL: the same migrations, the same rows back. */
@ExtendWith(TestPostgres.class)
class PostgresStoresTest extends StoresContract {
    @TempDir
    Path home;

    @BeforeEach
    void open(DatabaseConfig postgres) {
        database = Database.open(home, postgres);
    }
}
