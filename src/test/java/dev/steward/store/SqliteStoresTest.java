package dev.steward.store;

import dev.steward.config.DatabaseConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The stores on the embedded SQLite database. */
class SqliteStoresTest extends StoresContract {
    @TempDir
    Path home;

    @BeforeEach
    void open() {
        database = Database.open(home, DatabaseConfig.embedded());
    }
}
