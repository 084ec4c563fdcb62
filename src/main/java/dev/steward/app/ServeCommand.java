package dev.steward.app;

import dev.steward.server.HttpServer;
import dev.steward.server.McpService;
import dev.steward.support.UsageException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve Steward over HTTP: the API at /api, the OpenAI-compatible gateway at /v1, Steward's tools"
                + " over MCP (streamable HTTP) at /mcp, Prometheus metrics at /metrics, /health and /ready;"
                + " runs the schedules (steward schedules) and takes signed webhooks at /hooks/NAME.",
                "Every route but /health and /ready needs an API key (steward keys create) or a web login.",
                "Ctrl-C stops it gracefully: requests in flight finish first; running tasks stay recorded."},
        footer = {"", "Example:  steward users add alice --role standard",
                "          KEY=$(steward keys create --user alice)",
                "          steward serve --port 8700",
                "          curl -H \"Authorization: Bearer $KEY\" http://127.0.0.1:8700/v1/models"})
final class ServeCommand implements Callable<Integer> {
    /** How long Ctrl-C waits for in-flight requests, and then for the call log to be saved. */
    static final long GRACE_MILLIS = HttpServer.DEFAULT_GRACE_MILLIS;

    @ParentCommand
    StewardCommand parent;

    @Option(names = "--port", defaultValue = "8700", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 for every interface.")
    String host;

    @Option(names = "--user-rate-limit", paramLabel = "N",
            defaultValue = "" + HttpServer.Options.DEFAULT_USER_REQUESTS_PER_MINUTE,
            description = "Requests each user may make per minute (default: ${DEFAULT-VALUE}; 0 = no limit).")
    int userRateLimit;

    @Option(names = "--key-rate-limit", paramLabel = "N",
            defaultValue = "" + HttpServer.Options.DEFAULT_KEY_REQUESTS_PER_MINUTE,
            description = "Requests each API key may make per minute (default: ${DEFAULT-VALUE}; 0 = no limit).")
    int keyRateLimit;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new UsageException("--port " + port + " is not a port; use a number from 1 to 65535");
        }
        if (userRateLimit < 0 || keyRateLimit < 0) {
            throw new UsageException("a rate limit cannot be negative; use 0 for no limit");
        }
        HttpServer server;
        McpService.Http mcp;
        Steward steward;
        try {
            if (port != 0) {
                HttpServer.ensureFree(host, port);
            }
            steward = parent.longLivedSteward();
            mcp = new McpService(steward.gate()).http();
            // Tasks a stop left running resume, waiting ones keep waiting, and a decided approval wakes its task.
            steward.runner().resumeAll();
            // On PostgreSQL: join the node registry, follow the memory feed and other nodes' task events.
            steward.cluster().ifPresent(c -> c.start(steward.runner(), steward.tasks()));
            // Schedules of steward.yaml are written, and due schedules run here (one node at a time picks each).
            steward.automation().start();
            steward.memorySearch().embedInBackground(java.time.Duration.ofMillis(200));
            steward.followKnowledge(); // knowledge chunks embedded, watched folders followed, in the background
            steward.rollouts().startTicking(java.time.Duration.ofSeconds(5)); // duration steps move without traffic
            steward.learningSchedule().start(); // analysis and health check every learning.analyze_every_hours
            server = HttpServer.start(HttpServer.Options.defaults(host, port).withGraceMillis(GRACE_MILLIS)
                    .withRateLimits(userRateLimit, keyRateLimit), steward.services(), mcp.servlet());
        } catch (HttpServer.PortInUse e) {
            throw new UsageException("port " + e.port() + " is already in use; stop what listens there or choose"
                    + " another with --port");
        }
        CountDownLatch saved = new CountDownLatch(1);
        Runnable stop = () -> {
            closeMcp(mcp);
            server.stop();
            try {
                saved.await(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        };
        Thread onSignal = new Thread(stop, "steward-serve-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        // SIGTERM and Ctrl-C stop Steward before the JVM's shutdown, where ONNX Runtime frees its native memory.
        StopSignals.install(() -> {
            stop.run();
            steward.closeModels(); // already closed unless the stop outlasted its grace
        });
        System.err.println("Steward listening on " + server.url() + " — API at /api, OpenAI-compatible API at /v1,"
                + " MCP at /mcp, metrics at /metrics");
        if (!HttpServer.isLoopback(host)) {
            System.err.println("steward: listening beyond this machine without TLS; put a TLS proxy in front (see"
                    + " docs/operations.md)");
        }
        try {
            server.awaitStop();
        } finally {
            closeMcp(mcp);
            server.stop();
            parent.close();
            saved.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running and waits for the log to be saved, which it now is.
            }
        }
        return Main.OK;
    }

    /** MCP clients may hold a stream open for notifications: close their sessions, or a graceful stop would wait. */
    private static void closeMcp(McpService.Http mcp) {
        try {
            mcp.server().closeGracefully();
        } catch (RuntimeException e) {
            System.err.println("steward: closing the MCP sessions: " + e.getMessage());
        }
    }
}
