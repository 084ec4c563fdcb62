package dev.steward.app;

import dev.steward.app.server.HttpServer;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the HTTP API: the OpenAI-compatible gateway at /v1, /health, and Steward's tools over MCP"
                + " (streamable HTTP) at /mcp.",
                "Every call goes through the router (routing, fallback, budgets, cache) and is recorded.",
                "Ctrl-C stops it gracefully: requests in flight finish first."},
        footer = {"", "Example:  steward serve --port 8700",
                "          curl http://127.0.0.1:8700/v1/models"})
final class ServeCommand implements Callable<Integer> {
    /** How long Ctrl-C waits for in-flight requests, and then for the call log to be saved. */
    static final long GRACE_MILLIS = HttpServer.DEFAULT_GRACE_MILLIS;

    @ParentCommand
    StewardCommand parent;

    @Option(names = "--port", defaultValue = "8700", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}); loopback only for now.")
    String host;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new UsageException("--port " + port + " is not a port; use a number from 1 to 65535");
        }
        if (!HttpServer.isLoopback(host)) {
            throw new UsageException("will not listen on " + host + ": users and API keys come with the server work;"
                    + " until then Steward only listens on loopback (--host 127.0.0.1)");
        }
        HttpServer server;
        McpService.Http mcp;
        try {
            if (port != 0) {
                HttpServer.ensureFree(host, port);
            }
            Steward steward = parent.steward();
            mcp = new McpService(steward.gate()).http();
            server = HttpServer.start(host, port, steward.router(), Steward.LOCAL_USER, Clock.systemUTC(), GRACE_MILLIS,
                    mcp.servlet());
        } catch (HttpServer.PortInUse e) {
            throw new UsageException("port " + e.port() + " is already in use; stop what listens there or choose"
                    + " another with --port");
        }
        CountDownLatch saved = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> {
            closeMcp(mcp);
            server.stop();
            try {
                saved.await(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "steward-serve-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        System.err.println("Steward listening on " + server.url() + " — OpenAI-compatible API at /v1, MCP at /mcp");
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
