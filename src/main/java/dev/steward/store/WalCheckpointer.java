package dev.steward.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log into the database file from a thread of its own, once a second after writes. By
 * itself SQLite makes the commit that takes the log past 1000 pages do it, with two fsyncs, inside a request; the
 * profile of a chat under load found those checkpoints among SQLite's largest costs. Connections of the pool leave it
 * here ({@link #WRITER_CHECKPOINT_PAGES}: a writer still checkpoints if this thread falls far behind).
 *
 * <p>A passive checkpoint waits for nobody: writers go on appending and readers keep their snapshot while it runs.
 * With {@code synchronous=NORMAL} a commit reaches the disk at the next checkpoint, so a power cut loses at most the
 * last second or so of commits; a killed process loses none (the log is in the operating system's hands).
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    static final Duration EVERY = Duration.ofSeconds(1);
    /** How long the log may grow before a committing writer checkpoints it itself: this thread is behind. */
    static final int WRITER_CHECKPOINT_PAGES = 10_000;

    private final DataSource connections;
    private final String name;
    private volatile boolean written;
    private volatile boolean closed;
    private volatile Thread thread;

    WalCheckpointer(DataSource connections, String name) {
        this.connections = connections;
        this.name = name;
    }

    /** Sets a new connection's own checkpoint threshold, for when this thread falls behind. */
    static void configure(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_autocheckpoint = " + WRITER_CHECKPOINT_PAGES);
        }
    }

    /** Notes a commit: the next round checkpoints. The thread starts with the first write. */
    void written() {
        written = true;
        if (thread == null) {
            start();
        }
    }

    private synchronized void start() {
        if (thread == null && !closed) {
            thread = Thread.ofPlatform().daemon().name("steward-checkpoint-" + name).start(this::run);
        }
    }

    private void run() {
        while (!closed) {
            LockSupport.parkNanos(this, EVERY.toNanos());
            if (written && !closed) {
                written = false;
                checkpoint();
            }
        }
    }

    /** One passive checkpoint; a failure is left to the next round (or to a writer). */
    void checkpoint() {
        try (Connection connection = connections.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            LOG.debug("checkpoint of {} failed: {}", name, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
