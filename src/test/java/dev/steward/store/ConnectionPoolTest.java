package dev.steward.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
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
    void theProxyClassesDefinedAheadAreTheOnesLeasesAndTheirPreparedStatementsAre() throws SQLException {
        List<Class<?>> defined = ConnectionPool.defineProxyClasses();

        try (ConnectionPool pool = pool(1); Connection c = pool.getConnection();
             PreparedStatement prepared = c.prepareStatement("SELECT 1")) {
            assertThat(defined).contains(c.getClass(), prepared.getClass());
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

    @Test
    void aStatementIsParsedOncePerConnectionAndComesBackWithoutItsParameters() throws SQLException {
        CountingSource source = new CountingSource(home.resolve("cache.db"));
        try (ConnectionPool pool = new ConnectionPool(source, 1)) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (x INTEGER)");
                s.execute("INSERT INTO t VALUES (1), (2), (NULL)");
            }
            String sql = "SELECT COUNT(*) FROM t WHERE x IS ?";
            assertThat(count(pool, sql, 1)).isEqualTo(1);
            assertThat(count(pool, sql, 2)).isEqualTo(1);
            try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql);
                 ResultSet rs = p.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("unbound, so NULL: the last use's 2 is gone").isEqualTo(1);
            }

            assertThat(source.prepared.get(sql)).as("times SQLite parsed it").isEqualTo(1);
        }
    }

    @Test
    void jdbisStatementsAreKeptToo() {
        CountingSource source = new CountingSource(home.resolve("jdbi.db"));
        try (ConnectionPool pool = new ConnectionPool(source, 1)) {
            Jdbi jdbi = Jdbi.create(pool);
            jdbi.useHandle(h -> h.execute("CREATE TABLE t (x INTEGER)"));
            String sql = "INSERT INTO t VALUES (:x)";
            for (int i = 0; i < 3; i++) {
                int x = i;
                jdbi.useTransaction(h -> h.createUpdate(sql).bind("x", x).execute());
            }

            int sum = jdbi.withHandle(h -> h.createQuery("SELECT SUM(x) FROM t").mapTo(Integer.class).one());
            assertThat(sum).isEqualTo(3);
            assertThat(source.prepared.get("INSERT INTO t VALUES (?)")).as("times SQLite parsed it").isEqualTo(1);
        }
    }

    @Test
    void aVacuumRunsOnAConnectionWhoseKeptStatementsWrote() {
        // sqlite-jdbc leaves a statement that wrote un-reset, and SQLite refuses a VACUUM while one is: the purge and
        // the export (VACUUM INTO) failed with "SQL statements in progress" once statements were kept.
        try (ConnectionPool pool = pool(1)) {
            Jdbi jdbi = Jdbi.create(pool);
            jdbi.useHandle(h -> h.execute("CREATE TABLE t (x INTEGER)"));
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO t VALUES (:x)").bind("x", 1).execute());

            jdbi.useHandle(h -> h.execute("VACUUM"));
            jdbi.useHandle(h -> h.execute("VACUUM INTO '" + home.resolve("copy.db") + "'"));
            try (Connection c = pool.getConnection()) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                    insert.setInt(1, 2);
                    insert.executeUpdate();
                }
                try (Statement s = c.createStatement()) {
                    s.execute("vacuum");
                }
            } catch (SQLException e) {
                throw new AssertionError(e);
            }

            assertThat(home.resolve("copy.db")).isNotEmptyFile();
            int sum = jdbi.withHandle(h -> h.createQuery("SELECT SUM(x) FROM t").mapTo(Integer.class).one());
            assertThat(sum).isEqualTo(3);
        }
    }

    @Test
    void twoUsesOfOneStatementAtOnceEachGetTheirOwn() throws SQLException {
        try (ConnectionPool pool = pool(1); Connection c = pool.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (x INTEGER)");
                s.execute("INSERT INTO t VALUES (1), (2)");
            }
            String sql = "SELECT x FROM t WHERE x >= ? ORDER BY x";
            try (PreparedStatement outer = c.prepareStatement(sql)) {
                outer.setInt(1, 1);
                try (ResultSet rows = outer.executeQuery()) {
                    rows.next();
                    try (PreparedStatement inner = c.prepareStatement(sql)) {
                        inner.setInt(1, 2);
                        try (ResultSet other = inner.executeQuery()) {
                            other.next();
                            assertThat(other.getInt(1)).isEqualTo(2);
                        }
                    }
                    assertThat(rows.getInt(1)).isEqualTo(1);
                    rows.next();
                    assertThat(rows.getInt(1)).as("the outer query carries on where it was").isEqualTo(2);
                }
            }
        }
    }

    @Test
    void aQueryLeftHalfReadDoesNotHoldItsReadOnceClosed() throws SQLException {
        // A kept statement still in the middle of its rows would keep a read snapshot open: other connections' writes
        // could never be checkpointed, and this connection would go on reading old rows.
        try (Database database = Database.open(home, DatabaseConfig.embedded())) {
            database.jdbi().useHandle(h -> h.execute("CREATE TABLE t (x INTEGER)"));
            database.jdbi().useHandle(h -> h.execute("INSERT INTO t VALUES (1), (2), (3)"));
            try (Connection c = database.dataSource().getConnection()) {
                PreparedStatement half = c.prepareStatement("SELECT x FROM t");
                ResultSet rows = half.executeQuery();
                rows.next();
                half.close(); // its rows not closed by the user
                database.jdbi().useHandle(h -> h.execute("INSERT INTO t VALUES (4)"));

                try (PreparedStatement again = c.prepareStatement("SELECT x FROM t"); ResultSet all = again.executeQuery()) {
                    int seen = 0;
                    while (all.next()) {
                        seen++;
                    }
                    assertThat(seen).as("this connection sees the new row").isEqualTo(4);
                }
            }
            int[] checkpoint = database.jdbi().withHandle(h -> h.createQuery("PRAGMA wal_checkpoint(TRUNCATE)")
                    .map((rs, ctx) -> new int[] {rs.getInt(1), rs.getInt(2), rs.getInt(3)}).one());
            assertThat(checkpoint[0]).as("the checkpoint was not blocked by a reader").isZero();
        }
    }

    @Test
    void theLogIsCheckpointedInTheBackgroundNotByTheCommit() throws Exception {
        try (Database database = Database.open(home, DatabaseConfig.embedded())) {
            int writerThreshold = database.jdbi().withHandle(h -> h.createQuery("PRAGMA wal_autocheckpoint")
                    .mapTo(Integer.class).one());
            assertThat(writerThreshold).as("pages a committing writer lets the log grow to")
                    .isEqualTo(WalCheckpointer.WRITER_CHECKPOINT_PAGES);

            database.jdbi().useHandle(h -> h.execute("CREATE TABLE blobs (b BLOB)"));
            database.jdbi().useHandle(h -> h.execute("INSERT INTO blobs VALUES (zeroblob(6000000))"));

            long deadline = System.nanoTime() + 30_000_000_000L;
            while (sizeOf(home.resolve("steward.db")) < 6_000_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(sizeOf(home.resolve("steward.db"))).as("the database file, with no further write")
                    .isGreaterThan(6_000_000);
        }
    }

    private static int count(ConnectionPool pool, String sql, int x) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            p.setInt(1, x);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** SQLite connections that count how often each SQL is prepared on them. */
    private static final class CountingSource extends SQLiteDataSource {
        final Map<String, Integer> prepared = new ConcurrentHashMap<>();

        CountingSource(Path file) {
            setUrl("jdbc:sqlite:" + file);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return new org.sqlite.jdbc4.JDBC4Connection(getUrl(), file(), getConfig().toProperties()) {
                @Override
                public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
                        throws SQLException {
                    prepared.merge(sql, 1, Integer::sum); // every other form comes here too
                    return super.prepareStatement(sql, type, concurrency, holdability);
                }
            };
        }

        private String file() {
            return getUrl().substring("jdbc:sqlite:".length());
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
