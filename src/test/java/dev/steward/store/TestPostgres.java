package dev.steward.store;

import dev.steward.config.DatabaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A throwaway PostgreSQL server for tests, started from the machine's own server binaries ({@code initdb} and
 * {@code pg_ctl}; on Debian {@code sudo apt-get install postgresql}) in a temporary folder, listening on a free
 * loopback port, with its socket in that folder too. One server per test JVM, started on first use; each test asks
 * it for a fresh empty schema (or database).
 *
 * <pre>{@code
 * @ExtendWith(TestPostgres.class)
 * class SomethingOnPostgresTest {
 *     @Test
 *     void works(DatabaseConfig postgres) {       // a new, empty schema for this parameter
 *         Database database = Database.open(home, postgres);
 *         ...
 * }</pre>
 *
 * Outside JUnit parameters, {@code TestPostgres.server().newSchema()} does the same, and {@code newDatabase()} gives a
 * whole new database. The server stops when JUnit
 * has run all tests (on failure too), or at the latest when the JVM exits. Missing binaries fail the test, never skip
 * it: a test that silently does not run proves nothing. {@code STEWARD_TEST_PG_BIN} may name the folder holding
 * {@code initdb} and {@code pg_ctl}.
 */
public final class TestPostgres implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestPostgres.class);
    private static final String SUPERUSER = "steward";
    private static Server server;

    /** The server of this JVM, started if it is not running yet. */
    public static synchronized Server server() {
        if (server == null || server.stopped) {
            server = Server.start();
            Server started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-test-postgres"));
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Kept in the root store, so JUnit stops it once every test class has run.
        context.getRoot().getStore(NAMESPACE).computeIfAbsent(Server.class, type -> server(), Server.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DatabaseConfig.class || type == Server.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Server running = context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Server.class, type -> server(), Server.class);
        return parameter.getParameter().getType() == Server.class ? running : running.newSchema();
    }

    /** A running PostgreSQL server; its superuser connects from loopback without a password. */
    public static final class Server implements AutoCloseable {
        private static final AtomicInteger COUNTER = new AtomicInteger();
        private static final String SHARED_DATABASE = "postgres";
        private final Path dir;
        private final Path bin;
        private final int port;
        private final boolean asPostgresUser;
        private volatile boolean stopped;

        private Server(Path dir, Path bin, int port, boolean asPostgresUser) {
            this.dir = dir;
            this.bin = bin;
            this.port = port;
            this.asPostgresUser = asPostgresUser;
        }

        static Server start() {
            Path bin = binaries();
            boolean root = isRoot();
            Path dir;
            try {
                dir = Files.createTempDirectory("steward-pg-");
                if (root) {
                    // PostgreSQL refuses to run as root: its files and processes belong to the postgres user.
                    UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                            .lookupPrincipalByName("postgres");
                    Files.setOwner(dir, postgres);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot prepare a folder for a test PostgreSQL (running as root needs"
                        + " the 'postgres' user that 'sudo apt-get install postgresql' creates): " + e, e);
            }
            Server server = null;
            try {
                run(root, dir, List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                        "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"));
                IllegalStateException failure = null;
                for (int attempt = 0; attempt < 3; attempt++) {
                    int port = freePort();
                    Files.writeString(dir.resolve("data").resolve("postgresql.auto.conf"), String.join("\n",
                            "listen_addresses = '127.0.0.1'",
                            "port = " + port,
                            "unix_socket_directories = '" + dir + "'",
                            "max_connections = 100",
                            "shared_buffers = 32MB",
                            "fsync = off",
                            "synchronous_commit = off",
                            "full_page_writes = off",
                            "dynamic_shared_memory_type = mmap",
                            ""), StandardCharsets.UTF_8);
                    try {
                        run(root, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                                "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "start"));
                        server = new Server(dir, bin, port, root);
                        return server;
                    } catch (IllegalStateException e) {
                        failure = e; // most likely the port was taken meanwhile: try another one
                    }
                }
                throw failure;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (server == null) {
                    deleteRecursively(dir);
                }
            }
        }

        /**
         * A new, empty schema of its own, as Steward's configuration names it: the URL's {@code currentSchema} makes
         * it where tables are created and found. Much quicker than a database, and as isolated for most tests.
         */
        public DatabaseConfig newSchema() {
            String name = "steward_test_" + COUNTER.incrementAndGet();
            execute("CREATE SCHEMA " + name);
            return new DatabaseConfig(jdbcUrl(SHARED_DATABASE) + "?currentSchema=" + name, SUPERUSER, "");
        }

        /** A new, empty database, for a test that needs a whole one (extensions, database settings). */
        public DatabaseConfig newDatabase() {
            String name = "steward_test_" + COUNTER.incrementAndGet();
            execute("CREATE DATABASE " + name);
            return new DatabaseConfig(jdbcUrl(name), SUPERUSER, "");
        }

        private void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl(SHARED_DATABASE), SUPERUSER, "");
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot " + sql + " on the " + this + ": " + e, e);
            }
        }

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }

        public int port() {
            return port;
        }

        public String superuser() {
            return SUPERUSER;
        }

        /**
         * Restarts the server as an operator would: {@code pg_ctl stop -m fast} (every session is cut, the data is
         * kept), {@code down} without a server, then {@code pg_ctl start} on the same folder and port. Clients must
         * reconnect by themselves.
         */
        public synchronized void restart(java.time.Duration down) {
            String data = dir.resolve("data").toString();
            run(asPostgresUser, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", data, "-m", "fast", "-w", "-t",
                    "60", "stop"));
            try {
                Thread.sleep(down.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                run(asPostgresUser, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", data,
                        "-l", dir.resolve("server.log").toString(), "-w", "-t", "60", "start"));
            }
        }

        /** Stops the server at once (its data is thrown away) and deletes its folder. */
        @Override
        public synchronized void close() {
            if (stopped) {
                return;
            }
            stopped = true;
            try {
                run(asPostgresUser, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                        "-m", "immediate", "-w", "-t", "30", "stop"));
            } catch (RuntimeException e) {
                System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
            } finally {
                deleteRecursively(dir);
            }
        }

        @Override
        public String toString() {
            return "test PostgreSQL on 127.0.0.1:" + port + " in " + dir;
        }
    }

    /** The folder holding initdb and pg_ctl: $STEWARD_TEST_PG_BIN, Debian's newest, or the PATH. */
    static Path binaries() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("STEWARD_TEST_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .sorted(Comparator.comparing((Path v) -> Double.parseDouble(v.getFileName().toString()))
                                .reversed())
                        .map(v -> v.resolve("bin"))
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                candidates.add(Path.of(entry));
            }
        }
        Optional<Path> found = candidates.stream()
                .filter(d -> Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl")))
                .findFirst();
        return found.orElseThrow(() -> new IllegalStateException(
                "the PostgreSQL tests need the PostgreSQL server binaries (initdb, pg_ctl), found neither in"
                        + " /usr/lib/postgresql/*/bin, nor on the PATH, nor in $STEWARD_TEST_PG_BIN;"
                        + " install them with: sudo apt-get install postgresql"));
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs a PostgreSQL tool, as the postgres user when this JVM is root; fails with its output if it fails. */
    private static void run(boolean asPostgresUser, Path dir, List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        try {
            Path output = Files.createTempFile("steward-pg-", ".out");
            try {
                Process process = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(90, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new IllegalStateException(String.join(" ", full) + " did not finish in 90 s");
                }
                if (process.exitValue() != 0) {
                    String log = dir.resolve("server.log").toFile().exists()
                            ? "\nserver.log:\n" + Files.readString(dir.resolve("server.log")) : "";
                    throw new IllegalStateException(String.join(" ", full) + " failed (exit " + process.exitValue()
                            + "):\n" + Files.readString(output) + log);
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", full) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", full), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
