package dev.steward.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The prepared statements of one physical connection, kept between uses. sqlite-jdbc parses a statement's SQL again
 * each time it is prepared (a third of SQLite's time in a chat's profile), and Jdbi prepares every statement anew;
 * this keeps the latest {@link #CAPACITY} by their SQL, the way a JDBC pool's statement cache does. A statement is out
 * of the cache while in use, so two uses of the same SQL at once each get their own.
 */
final class StatementCache {
    /** Distinct statements kept per connection: a chat runs a few dozen. */
    static final int CAPACITY = 128;

    /** Least recently used first. */
    private final LinkedHashMap<String, PreparedStatement> idle = new LinkedHashMap<>(32, 0.75f, true);
    private boolean closed;

    /** A kept statement of this SQL, now the caller's; null if there is none. */
    synchronized PreparedStatement take(String sql) {
        return idle.remove(sql);
    }

    /**
     * Keeps a statement, reset by the caller (no open result, no parameters), for the next use of its SQL; closes it
     * when one is already kept or the connection is gone.
     */
    void keep(String sql, PreparedStatement statement) {
        PreparedStatement evicted = null;
        boolean kept = false;
        synchronized (this) {
            if (!closed && !idle.containsKey(sql)) {
                idle.put(sql, statement);
                kept = true;
                if (idle.size() > CAPACITY) {
                    Iterator<Map.Entry<String, PreparedStatement>> eldest = idle.entrySet().iterator();
                    evicted = eldest.next().getValue();
                    eldest.remove();
                }
            }
        }
        closeQuietly(kept ? evicted : statement);
    }

    /**
     * Closes what is kept, and keeps on keeping. sqlite-jdbc does not reset a statement after it wrote, and SQLite counts
     * such a statement as still running until it is reset or closed: a VACUUM on the connection would fail.
     */
    void clear() {
        closeAll(false);
    }

    /** Closes what is kept; statements given back later are closed, not kept. */
    void close() {
        closeAll(true);
    }

    private void closeAll(boolean forGood) {
        PreparedStatement[] kept;
        synchronized (this) {
            closed |= forGood;
            kept = idle.values().toArray(PreparedStatement[]::new);
            idle.clear();
        }
        for (PreparedStatement statement : kept) {
            closeQuietly(statement);
        }
    }

    synchronized int size() {
        return idle.size();
    }

    private static void closeQuietly(PreparedStatement statement) {
        if (statement == null) {
            return;
        }
        try {
            statement.close();
        } catch (SQLException ignored) {
            // it goes either way
        }
    }
}
