package dev.steward.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The few connections a database keeps open between uses, and how they come back. */
class ConnectionPoolTest {
    @TempDir
    Path home;

    private ConnectionPool pool(int maxIdle) {
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + home.resolve("pool.db"));
        return new ConnectionPool(source, maxIdle);
    }

    @Test
    void aConnectionGivenBackInATransactionIsRolledBackAndReturnsInAutoCommit() throws SQLException {
        try (ConnectionPool pool = pool(1)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (x INTEGER)");
                c.setAutoCommit(false);
                s.execute("INSERT INTO t VALUES (1)");
            }
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                assertThat(c.getAutoCommit()).isTrue();
                try (var rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("the unfinished insert").isZero();
                }
            }
        }
    }

    @Test
    void aClosedLeaseCannotBeUsedAndClosingTwiceIsHarmless() throws SQLException {
        try (ConnectionPool pool = pool(1)) {
            Connection c = pool.getConnection();
            c.close();
            c.close();

            assertThat(c.isClosed()).isTrue();
            assertThatThrownBy(c::createStatement).isInstanceOf(SQLException.class);
            assertThat(pool.idleCount()).isEqualTo(1);
        }
    }

    @Test
    void onlyAFewIdleConnectionsStayOpenAndNoneAfterClose() throws SQLException {
        ConnectionPool pool = pool(2);
        List<Connection> inUse = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inUse.add(pool.getConnection());
        }
        for (Connection c : inUse) {
            c.close();
        }
        assertThat(pool.idleCount()).isEqualTo(2);

        pool.close();

        assertThat(pool.idleCount()).isZero();
        assertThatThrownBy(pool::getConnection).isInstanceOf(SQLException.class).hasMessageContaining("closed");
    }

    @Test
    void aWriteDoesNotCostACheckpointWhenItsHandleCloses() {
        // SQLite's last connection to close checkpoints the write-ahead log into the file and deletes it: an fsync
        // and a new log per write. A kept connection makes a write a cheap append to the log.
        try (Database database = Database.open(home, DatabaseConfig.embedded())) {
            database.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO users (id, name, role, created_at) VALUES ('ann', 'ann', 'user', 1)"));

            assertThat(home.resolve("steward.db-wal")).exists();
            assertThat(sizeOf(home.resolve("steward.db-wal"))).isPositive();
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
