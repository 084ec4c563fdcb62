package dev.steward.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps a few idle connections open for reuse. Opening one costs a PostgreSQL backend process, or for SQLite the
 * pragmas, and closing SQLite's last connection checkpoints and deletes the write-ahead log (an fsync per write).
 *
 * <p>It never limits how many connections are in use at once (a nested handle must not wait for itself); it only
 * bounds how many stay open while idle. A connection is handed back clean: an open transaction is rolled back and
 * auto-commit restored, or the connection is closed.
 */
final class ConnectionPool implements DataSource, AutoCloseable {
    /** A connection idle for longer than this is checked before it is handed out again. */
    private static final long VALIDATE_AFTER_NANOS = 5_000_000_000L;

    private final DataSource source;
    private final int maxIdle;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    private record Idle(Connection connection, long since) {}

    ConnectionPool(DataSource source, int maxIdle) {
        this.source = source;
        this.maxIdle = maxIdle;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection physical = null;
        while (physical == null) {
            Idle reused;
            synchronized (this) {
                if (closed) {
                    throw new SQLException("the database is closed");
                }
                reused = idle.pollFirst();
            }
            if (reused == null) {
                physical = source.getConnection();
            } else if (System.nanoTime() - reused.since() < VALIDATE_AFTER_NANOS || reused.connection().isValid(2)) {
                physical = reused.connection();
            } else {
                closeQuietly(reused.connection());
            }
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Lease(physical));
    }

    private void giveBack(Connection physical) {
        try {
            if (physical.isClosed()) {
                return;
            }
            if (!physical.getAutoCommit()) {
                physical.rollback();
                physical.setAutoCommit(true);
            }
            physical.clearWarnings();
        } catch (SQLException e) {
            closeQuietly(physical);
            return;
        }
        synchronized (this) {
            if (!closed && idle.size() < maxIdle) {
                idle.addFirst(new Idle(physical, System.nanoTime()));
                return;
            }
        }
        closeQuietly(physical);
    }

    /** Closes the idle connections; connections in use are closed when they are given back. */
    @Override
    public void close() {
        Idle[] toClose;
        synchronized (this) {
            closed = true;
            toClose = idle.toArray(Idle[]::new);
            idle.clear();
        }
        for (Idle each : toClose) {
            closeQuietly(each.connection());
        }
    }

    synchronized int idleCount() {
        return idle.size();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // it is going away either way
        }
    }

    /** One use of a pooled connection: {@code close()} gives it back, and after that the lease is dead. */
    private final class Lease implements InvocationHandler {
        private Connection physical;

        Lease(Connection physical) {
            this.physical = physical;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close" -> {
                    Connection returned;
                    synchronized (this) {
                        returned = physical;
                        physical = null;
                    }
                    if (returned != null) {
                        giveBack(returned);
                    }
                    return null;
                }
                case "isClosed" -> {
                    Connection current = current();
                    return current == null || current.isClosed();
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "toString" -> {
                    return "pooled " + current();
                }
                default -> {
                    Connection current = current();
                    if (current == null) {
                        throw new SQLException("connection already closed");
                    }
                    try {
                        return method.invoke(current, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            }
        }

        private synchronized Connection current() {
            return physical;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool connects with the configured user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return source.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        source.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        source.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return source.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return source.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return source.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || source.isWrapperFor(type);
    }
}
