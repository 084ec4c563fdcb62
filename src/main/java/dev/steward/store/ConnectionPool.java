package dev.steward.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Keeps a few idle connections open for reuse. Opening one costs a PostgreSQL backend process, or for SQLite the
 * pragmas, and closing SQLite's last connection checkpoints and deletes the write-ahead log (an fsync per write).
 *
 * <p>It never limits how many connections are in use at once (a nested handle must not wait for itself); it only
 * bounds how many stay open while idle. A connection is handed back clean: an open transaction is rolled back and
 * auto-commit restored, or the connection is closed.
 *
 * <p>With a writer lock (SQLite), this process's writers take turns in Java before SQLite sees them: a transaction
 * holds the lock from {@code setAutoCommit(false)} until auto-commit is back or the connection is given back, and a
 * single writing statement holds it while it runs. SQLite itself makes a blocked writer sleep and poll (up to 100 ms
 * between tries, inside native code, where a waiting virtual thread also blocks its carrier); a Java lock hands over
 * as soon as the writer before finishes. Other processes still meet SQLite's busy timeout.
 *
 * <p>Each connection keeps its prepared statements ({@link StatementCache}): a statement closed by its user is reset
 * and handed to the next {@code prepareStatement} of the same SQL on that connection, so SQLite parses a chat's few
 * dozen statements once per connection instead of once per use. For SQLite the pool also takes the write-ahead log's
 * checkpoints off the committing writers ({@link WalCheckpointer}).
 */
final class ConnectionPool extends WrappingDataSource implements AutoCloseable {
    /** A connection idle for longer than this is checked before it is handed out again. */
    private static final long VALIDATE_AFTER_NANOS = 5_000_000_000L;

    private final int maxIdle;
    private final ReentrantLock writerLock;
    /** Checkpoints the write-ahead log off the writers' path (SQLite); null for PostgreSQL. */
    private final WalCheckpointer checkpoints;
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    /** An open connection and the prepared statements it keeps. */
    private record Physical(Connection connection, StatementCache statements) {
        void close() {
            statements.close();
            closeQuietly(connection);
        }
    }

    private record Idle(Physical physical, long since) {}

    ConnectionPool(DataSource source, int maxIdle) {
        this(source, maxIdle, null);
    }

    /** @param writerLock taken by every write of this process to the same database; null for none */
    ConnectionPool(DataSource source, int maxIdle, ReentrantLock writerLock) {
        super(source);
        this.maxIdle = maxIdle;
        this.writerLock = writerLock;
        this.checkpoints = writerLock == null ? null : new WalCheckpointer(this, "sqlite");
    }

    @Override
    public Connection getConnection() throws SQLException {
        Physical physical = null;
        while (physical == null) {
            Idle reused;
            synchronized (this) {
                if (closed) {
                    throw new SQLException("the database is closed");
                }
                reused = idle.pollFirst();
            }
            if (reused == null) {
                physical = new Physical(connect(), new StatementCache());
            } else if (System.nanoTime() - reused.since() < VALIDATE_AFTER_NANOS
                    || reused.physical().connection().isValid(2)) {
                physical = reused.physical();
            } else {
                reused.physical().close();
            }
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Lease(physical));
    }

    /**
     * Has the JDK define the proxy classes that leased connections and their prepared statements (all Jdbi makes)
     * are, before the first lease. Each is generated at run time (the ahead-of-time cache cannot keep it), a few
     * milliseconds apiece; a short command's preload does this on a core the database's opening is not using
     * (issue 23). Returns the classes.
     */
    static List<Class<?>> defineProxyClasses() {
        InvocationHandler none = (proxy, method, args) -> null;
        return Stream.of(Connection.class, PreparedStatement.class)
                .<Class<?>>map(type -> Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, none)
                        .getClass())
                .toList();
    }

    /** A new connection; a server that is down or restarting (PostgreSQL) fails it, and the idle ones go too. */
    private Connection connect() throws SQLException {
        try {
            Connection connection = source.getConnection();
            if (checkpoints != null) {
                try {
                    WalCheckpointer.configure(connection);
                } catch (SQLException e) {
                    closeQuietly(connection);
                    throw e;
                }
            }
            return connection;
        } catch (SQLException e) {
            failed(e);
            throw e;
        }
    }

    /**
     * Looks at a failure of a connection: when the server went away (PostgreSQL restarted, the network dropped), every
     * idle connection is as dead as this one, so they are closed instead of being handed to the next callers.
     */
    private void failed(SQLException e) {
        if (isOutage(e)) {
            Idle[] dead;
            synchronized (this) {
                dead = idle.toArray(Idle[]::new);
                idle.clear();
            }
            for (Idle each : dead) {
                each.physical().close();
            }
        }
    }

    /**
     * Whether a failure means the database server cannot be reached now (SQLState class 08, or PostgreSQL shutting
     * down or starting: 57P01–57P03), as opposed to a fault of the statement.
     */
    static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    private void giveBack(Physical physical, boolean broken) {
        Connection connection = physical.connection();
        try {
            if (broken || connection.isClosed()) {
                physical.close();
                return;
            }
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            connection.clearWarnings();
        } catch (SQLException e) {
            physical.close();
            return;
        }
        synchronized (this) {
            if (!closed && idle.size() < maxIdle) {
                idle.addFirst(new Idle(physical, System.nanoTime()));
                return;
            }
        }
        physical.close();
    }

    /** Closes the idle connections; connections in use are closed when they are given back. */
    @Override
    public void close() {
        Idle[] toClose;
        if (checkpoints != null) {
            checkpoints.close();
        }
        synchronized (this) {
            closed = true;
            toClose = idle.toArray(Idle[]::new);
            idle.clear();
        }
        for (Idle each : toClose) {
            each.physical().close();
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
        private Physical physical;
        /** Whether the server went away while it was in use: it is closed, not kept. */
        private volatile boolean broken;
        /** Whether this lease's open transaction holds the writer lock. */
        private boolean inTransaction;

        Lease(Physical physical) {
            this.physical = physical;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "close" -> {
                    Physical returned;
                    synchronized (this) {
                        returned = physical;
                        physical = null;
                    }
                    if (returned != null) {
                        try {
                            giveBack(returned, broken);
                        } finally {
                            endTransaction();
                        }
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
                case "setAutoCommit" -> {
                    boolean autoCommit = (Boolean) args[0];
                    if (!autoCommit && writerLock != null && !inTransaction) {
                        writerLock.lock();
                        inTransaction = true;
                    }
                    try {
                        return delegate(method, args);
                    } finally {
                        if (autoCommit || current() == null) {
                            endTransaction();
                        }
                    }
                }
                case "createStatement", "prepareStatement", "prepareCall" -> {
                    String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
                    // Only the plain form is kept (Jdbi's names the default cursor); others ask for generated keys.
                    boolean plain = method.getName().equals("prepareStatement") && plain(args);
                    StatementCache cache = plain ? statements() : null;
                    if (vacuums(sql)) {
                        clearStatements(); // a VACUUM needs every other statement of its connection finished
                        cache = null;
                    }
                    Object statement = cache == null ? null : cache.take(sql);
                    if (statement == null) {
                        statement = delegate(method, args);
                    }
                    return Proxy.newProxyInstance(Statement.class.getClassLoader(),
                            new Class<?>[] {method.getReturnType()},
                            new Writes((Statement) statement, sql, this, cache));
                }
                default -> {
                    return delegate(method, args);
                }
            }
        }

        /** Arguments of {@code prepareStatement} that ask for nothing but the SQL: the default cursor, if named. */
        private static boolean plain(Object[] args) {
            return args.length == 1 || args.length == 3 && args[1].equals(ResultSet.TYPE_FORWARD_ONLY)
                    && args[2].equals(ResultSet.CONCUR_READ_ONLY);
        }

        private Object delegate(Method method, Object[] args) throws Throwable {
            Connection current = current();
            if (current == null) {
                throw new SQLException("connection already closed");
            }
            try {
                return method.invoke(current, args);
            } catch (InvocationTargetException e) {
                throw failure(e.getCause());
            }
        }

        /** Notes a failure of this connection or one of its statements, and gives it back to be thrown. */
        Throwable failure(Throwable cause) {
            if (cause instanceof SQLException sql && isOutage(sql)) {
                broken = true;
                failed(sql);
            }
            return cause;
        }

        private void endTransaction() {
            if (inTransaction) {
                inTransaction = false;
                writerLock.unlock();
                checkpoints.written();
            }
        }

        private synchronized Connection current() {
            return physical == null ? null : physical.connection();
        }

        private void clearStatements() {
            StatementCache cache = statements();
            if (cache != null) {
                cache.clear();
            }
        }

        /** The statements of the connection this lease still holds; null once it is given back. */
        private synchronized StatementCache statements() {
            return physical == null ? null : physical.statements();
        }
    }

    /**
     * A statement whose writes outside a transaction take the writer lock while they run (SQLite), and whose failures
     * tell the pool when the server went away. A prepared statement from the connection's cache goes back to it when
     * closed, reset, unless its use left something a reset does not undo (a failure, a setting, a batch, an unread
     * result).
     */
    private final class Writes implements InvocationHandler {
        private final Statement statement;
        private final String preparedSql;
        private final boolean preparedWrites;
        private final Lease lease;
        /** Where the statement goes when closed, for the next use of its SQL; null: it is closed for good. */
        private final StatementCache cache;
        private boolean reusable = true;
        private boolean resultsPending;
        private ResultSet results;
        private boolean closed;

        Writes(Statement statement, String preparedSql, Lease lease, StatementCache cache) {
            this.statement = statement;
            this.preparedSql = preparedSql;
            this.preparedWrites = writes(preparedSql);
            this.lease = lease;
            this.cache = cache;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            switch (name) {
                case "close" -> {
                    if (!closed) {
                        closed = true;
                        release();
                    }
                    return null;
                }
                case "isClosed" -> {
                    return closed || statement.isClosed();
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                default -> {
                    if (closed) {
                        throw new SQLException("statement already closed");
                    }
                }
            }
            int arity = args == null ? 0 : args.length;
            if (arity == 1 && name.startsWith("set") || name.equals("addBatch") || name.equals("unwrap")
                    || name.equals("closeOnCompletion")) {
                reusable = false; // a statement setting, a batch, or the statement itself handed out
            }
            String sql = arity > 0 && args[0] instanceof String text ? text : null;
            if (name.startsWith("execute") && vacuums(sql)) {
                lease.clearStatements(); // a VACUUM needs every other statement of its connection finished
            }
            boolean locks = writerLock != null && name.startsWith("execute")
                    && (sql == null ? preparedWrites : writes(sql)) && statement.getConnection().getAutoCommit();
            if (locks) {
                writerLock.lock();
            }
            try {
                Object result = method.invoke(statement, args);
                if (result instanceof ResultSet rs) {
                    results = rs;
                    resultsPending = false;
                } else if (name.equals("execute") && Boolean.TRUE.equals(result)) {
                    resultsPending = true;
                }
                return result;
            } catch (InvocationTargetException e) {
                reusable = false;
                throw lease.failure(e.getCause());
            } finally {
                if (locks) {
                    writerLock.unlock();
                    checkpoints.written();
                }
            }
        }

        /** Resets the statement into its connection's cache, or closes it. */
        private void release() throws SQLException {
            if (cache != null && reusable && !resultsPending && statement instanceof PreparedStatement prepared) {
                try {
                    if (results != null) {
                        results.close(); // ends the statement's read of the database
                    }
                    prepared.clearParameters();
                    prepared.clearWarnings();
                    cache.keep(preparedSql, prepared);
                    return;
                } catch (SQLException e) {
                    // not fit to keep: closed below
                }
            }
            statement.close();
        }

        /** Anything but a plain query may write; unknown SQL (a batch) is taken to write. */
        private static boolean writes(String sql) {
            if (sql == null) {
                return true;
            }
            String start = sql.stripLeading();
            return !(start.regionMatches(true, 0, "select", 0, 6) || start.regionMatches(true, 0, "pragma", 0, 6)
                    || start.regionMatches(true, 0, "explain", 0, 7));
        }
    }

    private static boolean vacuums(String sql) {
        return sql != null && sql.stripLeading().regionMatches(true, 0, "vacuum", 0, 6);
    }
}
