package dev.steward.store;

import dev.steward.support.Errors;
import dev.steward.config.ConfigException;
import dev.steward.config.DatabaseConfig;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database every part writes its rows to: SQLite under STEWARD_HOME by default, PostgreSQL for scale-out.
 * The schema is owned by the versioned migrations in {@code db/migration}, written in SQL both databases accept.
 */
public final class Database implements AutoCloseable {
    /** How long a writer waits for another process's write to finish before giving up. */
    static final int BUSY_TIMEOUT_MS = 30_000;
    /** Connections kept open while idle, per database. */
    static final int MAX_IDLE_CONNECTIONS = 4;
    /**
     * For SQLite, where an open connection costs only memory: about as many as a busy server uses at once, or each
     * burst opens new ones (the pragmas again, and none of the pool's prepared statements yet).
     */
    static final int MAX_IDLE_SQLITE_CONNECTIONS = 16;
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private static final Cleaner CLEANER = Cleaner.create();
    /** One writer lock per SQLite file, shared by every Database of this process that opens it. */
    private static final Map<String, ReentrantLock> WRITER_LOCKS = new ConcurrentHashMap<>();

    private final DataSource dataSource;
    private final ConnectionPool pool;
    private final Cleaner.Cleanable cleanable;
    private final Jdbi jdbi;
    private final String url;
    private final Dialect dialect;
    private final java.util.List<BackgroundWriter> writers = new java.util.concurrent.CopyOnWriteArrayList<>();

    public enum Dialect { SQLITE, POSTGRESQL }

    private Database(DataSource dataSource, String url, Dialect dialect) {
        this.dataSource = dataSource;
        // PostgreSQL runs writers side by side; SQLite runs one at a time, so this process's writers queue in Java.
        this.pool = new ConnectionPool(dataSource,
                dialect == Dialect.SQLITE ? MAX_IDLE_SQLITE_CONNECTIONS : MAX_IDLE_CONNECTIONS,
                dialect == Dialect.SQLITE ? WRITER_LOCKS.computeIfAbsent(url, u -> new ReentrantLock(true)) : null);
        // A Database nobody closes still gives its idle connections back when it is garbage.
        this.cleanable = CLEANER.register(this, pool::close);
        this.jdbi = Jdbi.create(pool);
        this.url = url;
        this.dialect = dialect;
    }

    /**
     * Prepares, on the caller's thread, what opening a database and its first query would otherwise make at run time
     * (the connection pool's proxy classes), so that a preload can do it beside the opening (issue 23).
     */
    public static void prepareFirstUse() {
        ConnectionPool.defineProxyClasses();
    }

    /** Opens the configured database and brings its schema up to date. */
    public static Database open(Path home, DatabaseConfig config) {
        boolean sqlite = config.url().isEmpty() || config.url().startsWith(SQLITE_PREFIX);
        if (sqlite) {
            SqliteNative.useCopyIn(home.resolve("cache").resolve("native"));
        }
        Database database = sqlite
                ? sqlite(config.url().isEmpty() ? home.resolve("steward.db")
                        : Path.of(config.url().substring(SQLITE_PREFIX.length())))
                : postgres(config);
        database.migrate();
        return database;
    }

    private static Database sqlite(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        // WAL lets readers run beside one writer; busy_timeout makes a second process wait instead of failing;
        // IMMEDIATE takes the write lock at BEGIN, so two writers never deadlock on a lock upgrade.
        // In WAL mode a commit is in the log file before COMMIT returns, so a killed process loses nothing committed;
        // NORMAL skips the fsync per commit, so only a power cut can lose the last commits (never the file).
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        String url = SQLITE_PREFIX + file.toAbsolutePath();
        dataSource.setUrl(url);
        return new Database(dataSource, url, Dialect.SQLITE);
    }

    private static Database postgres(DatabaseConfig config) {
        if (!config.url().startsWith("jdbc:postgresql:")) {
            throw new ConfigException("database.url", "database.url",
                    "'" + config.url() + "' is neither a SQLite nor a PostgreSQL JDBC URL",
                    "leave it empty for SQLite, or write jdbc:postgresql://HOST:5432/DB");
        }
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(config.url());
        if (config.user() != null) {
            dataSource.setUser(config.user());
        }
        if (config.password() != null) {
            dataSource.setPassword(config.password());
        }
        return new Database(dataSource, config.url(), Dialect.POSTGRESQL);
    }

    /**
     * The version of the newest migration in {@code db/migration}. A database already at it skips Flyway, which
     * costs a third of a second of start-up to find that there is nothing to do; a test keeps this in step.
     */
    static final String LATEST_SCHEMA_VERSION = "25";

    /** The newest schema this build knows: a state checkpoint from a newer one cannot be imported. */
    public static String newestSchemaVersion() {
        return LATEST_SCHEMA_VERSION;
    }

    private void migrate() {
        String found = schemaVersionOrNone();
        if (LATEST_SCHEMA_VERSION.equals(found)) {
            return;
        }
        refuseNewerSchema(found);
        try {
            Flyway flyway = Flyway.configure(getClass().getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .load();
            if (dialect == Dialect.SQLITE) {
                // Flyway does not lock SQLite; two processes starting on a fresh home must not both migrate.
                // A file lock is held per JVM, not per thread (a second lock() throws OverlappingFileLockException),
                // so threads of this JVM take turns first.
                Path file = Path.of(url.substring(SQLITE_PREFIX.length()));
                Files.createDirectories(file.toAbsolutePath().getParent());
                synchronized (Database.class) {
                    try (FileChannel lockFile = FileChannel.open(Path.of(file + ".migrate-lock"),
                            StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                        lockFile.lock(); // released when the channel closes
                        flyway.migrate();
                    }
                }
            } else {
                flyway.migrate();
            }
        } catch (IOException e) {
            throw new StoreException("cannot lock the database at " + url + ": " + e.getMessage(),
                    "check that STEWARD_HOME is writable and has free space", e);
        } catch (FlywayException e) {
            throw new StoreException("cannot prepare the database at " + url + ": " + Errors.firstLine(Errors.root(e)),
                    "run 'steward doctor'; if the file is damaged, move it away and Steward starts a new one", e);
        }
    }

    private String schemaVersionOrNone() {
        try {
            return schemaVersion();
        } catch (RuntimeException noHistoryYet) {
            return "none";
        }
    }

    /**
     * A database a newer Steward has migrated (another node of a cluster, upgraded first) is not this build's to
     * use: its code would read rows it does not understand, and Flyway would quietly skip the migrations it does
     * not know. Refuse, and say which version the database needs.
     */
    private void refuseNewerSchema(String found) {
        if (found.matches("\\d+") && Long.parseLong(found) > Long.parseLong(LATEST_SCHEMA_VERSION)) {
            throw new StoreException("the database at " + url + " has schema version " + found + ", newer than this"
                    + " Steward " + dev.steward.support.Version.current() + " knows (" + LATEST_SCHEMA_VERSION
                    + "); another node was upgraded first",
                    "run the same Steward version on every node of one database: upgrade this node", null);
        }
    }

    /** Waits until every write queued by this database's background writers is committed. */
    public void flushBackgroundWrites() {
        writers.forEach(BackgroundWriter::flush);
    }

    /** Commits what background writers still hold, stops them and closes the idle connections. */
    @Override
    public void close() {
        writers.forEach(BackgroundWriter::close);
        cleanable.clean();
    }

    void register(BackgroundWriter writer) {
        writers.add(writer);
    }

    void unregister(BackgroundWriter writer) {
        writers.remove(writer);
    }

    /**
     * Whether a failure is the database server being out of reach for now (PostgreSQL restarting, the network
     * down) rather than a fault of the request: worth a 503 and a retry. The pool drops the dead connections itself.
     */
    public static boolean isOutage(Throwable failure) {
        return ConnectionPool.isOutage(failure);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** The pooled connections, for a library that wants a DataSource (the scheduler); writers still take turns. */
    public DataSource dataSource() {
        return pool;
    }

    public String url() {
        return url;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Checks the connection and returns the schema version, for {@code steward doctor}. */
    public String schemaVersion() {
        // Flyway's success column is BOOLEAN on PostgreSQL and 0/1 on SQLite: a bound boolean matches both.
        return jdbi.withHandle(h -> h.createQuery("SELECT version FROM flyway_schema_history"
                        + " WHERE success = :ok AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")
                .bind("ok", true)
                .mapTo(String.class).findOne().orElse("none"));
    }
}
