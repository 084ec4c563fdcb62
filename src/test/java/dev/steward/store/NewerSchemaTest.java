package dev.steward.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.DatabaseConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Mixed versions on one database: a node whose code is older than the schema refuses to start, and says why. */
@ExtendWith(TestPostgres.class)
class NewerSchemaTest {
    @TempDir
    Path home;

    @Test
    void aNodeOlderThanTheSchemaRefusesToStartAndNamesTheVersionsAndTheFix(DatabaseConfig postgres) {
        Database upgraded = Database.open(home, postgres);
        // What a newer Steward leaves behind: a migration this build does not know, applied.
        upgraded.jdbi().useHandle(h -> h.execute("""
                INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,
                    installed_by, execution_time, success)
                SELECT MAX(installed_rank) + 1, '99', 'from the future', 'SQL', 'V99__future.sql', 0, 'steward', 1,
                    TRUE FROM flyway_schema_history"""));

        assertThatThrownBy(() -> Database.open(home, postgres))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 99, newer than this Steward")
                .hasMessageContaining("(" + Database.LATEST_SCHEMA_VERSION + ")")
                .satisfies(e -> assertThat(((StoreException) e).fix()).contains("same Steward version on every node"));
        assertThat(upgraded.schemaVersion()).as("and it changed nothing").isEqualTo("99");
    }
}
