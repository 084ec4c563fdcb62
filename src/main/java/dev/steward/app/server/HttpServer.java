package dev.steward.app.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.router.Router;
import dev.steward.support.Json;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steward's HTTP server: Javalin on Jetty 12, one virtual thread per request. It serves {@code GET /health} and the
 * OpenAI-compatible API under {@code /v1}; every error, including unknown routes and wrong methods, is answered in
 * OpenAI's error shape. {@link #stop()} is graceful: it stops accepting, lets in-flight requests finish (up to a
 * grace period), then returns.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** How long a stop waits for in-flight requests, such as a long streamed answer, to finish. */
    public static final long DEFAULT_GRACE_MILLIS = 30_000;
    private static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;

    private final Javalin app;
    private final String host;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private HttpServer(Javalin app, String host) {
        this.app = app;
        this.host = host;
    }

    /** The port is taken: nothing was started. */
    public static final class PortInUse extends RuntimeException {
        private final int port;

        PortInUse(int port, Throwable cause) {
            super("port " + port + " is already in use", cause);
            this.port = port;
        }

        public int port() {
            return port;
        }
    }

    /**
     * Starts serving on {@code host:port} (port 0 picks a free one) and returns once it accepts connections.
     *
     * @param userId who the calls are recorded and charged to, until requests carry their own identity
     * @throws PortInUse when something else listens there already
     */
    public static HttpServer start(String host, int port, Router router, String userId, Clock clock, long graceMillis) {
        return start(host, port, router, userId, clock, graceMillis, null);
    }

    /** As above, with {@code mcp} (MCP's streamable HTTP transport, a servlet) mounted at {@code /mcp} if not null. */
    public static HttpServer start(String host, int port, Router router, String userId, Clock clock, long graceMillis,
                                   jakarta.servlet.http.HttpServlet mcp) {
        if (port != 0) {
            ensureFree(host, port);
        }
        OpenAiGateway gateway = new OpenAiGateway(router, userId, clock);
        Map<String, Set<String>> routes = new LinkedHashMap<>();
        Javalin app = Javalin.create(config -> {
            configure(config, host, port, graceMillis);
            if (mcp != null) {
                config.jetty.modifyServletContextHandler(handler -> {
                    var holder = new org.eclipse.jetty.ee10.servlet.ServletHolder("mcp", mcp);
                    holder.setAsyncSupported(true);
                    handler.addServlet(holder, "/mcp");
                });
            }
            WebUi.mount(config);
            route(config, routes, HandlerType.GET, "/health", ctx -> json(ctx, 200, Json.object().put("status", "ok")));
            route(config, routes, HandlerType.GET, "/v1/models", gateway::models);
            route(config, routes, HandlerType.POST, "/v1/chat/completions", gateway::chatCompletions);
            config.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, fromJavalin(e, ctx, routes)));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, ApiError.from(e instanceof RuntimeException r ? r : new RuntimeException(e),
                        clock.instant()));
            });
        });
        try {
            app.start();
        } catch (JavalinBindException e) {
            throw new PortInUse(port, e);
        }
        return new HttpServer(app, host);
    }

    private static void configure(JavalinConfig config, String host, int port, long graceMillis) {
        // Measured against Jetty's own platform pool and its virtual-thread executor (docs/benchmarks.md): a virtual
        // thread per request costs the least CPU per proxied call once a few dozen calls are in flight.
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = MAX_REQUEST_BYTES;
        // Compression would hold streamed events back until a buffer fills; on loopback it saves nothing anyway.
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.jetty.host = host;
        config.jetty.port = port;
        config.jetty.modifyServer(server -> {
            server.insertHandler(new GracefulHandler());
            server.setStopTimeout(graceMillis);
        });
    }

    private static void route(JavalinConfig config, Map<String, Set<String>> routes, HandlerType method, String path,
                              Handler handler) {
        routes.computeIfAbsent(path, p -> new LinkedHashSet<>()).add(method.name());
        config.routes.addHttpHandler(method, path, handler);
    }

    /** Javalin's own refusals (no such route, wrong method, body too large) in OpenAI's shape. */
    private static ApiError fromJavalin(HttpResponseException e, Context ctx, Map<String, Set<String>> routes) {
        String request = ctx.method().name() + " " + ctx.path();
        return switch (e.getStatus()) {
            case 404 -> new ApiError(404, ApiError.INVALID_REQUEST, null, "unknown_url",
                    "unknown URL: " + request + "; the API is at /v1 (GET /v1/models, POST /v1/chat/completions)");
            case 405 -> {
                Set<String> allowed = routes.getOrDefault(ctx.path(), Set.of());
                yield new ApiError(405, ApiError.INVALID_REQUEST, null, "method_not_allowed",
                        request + " is not allowed; use " + String.join(" or ", allowed))
                        .header("Allow", String.join(", ", allowed));
            }
            case 413 -> new ApiError(413, ApiError.INVALID_REQUEST, null, "request_too_large",
                    "the request body is larger than " + MAX_REQUEST_BYTES / (1024 * 1024) + " MB");
            default -> new ApiError(e.getStatus(), ApiError.INVALID_REQUEST, null, null, e.getMessage());
        };
    }

    private static void error(Context ctx, ApiError error) {
        error.headers.forEach(ctx::header);
        json(ctx, error.status, error.body());
    }

    static void json(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(Json.write(body));
    }

    /** Header values must be plain ASCII: arrows and comparison signs in route reasons become their ASCII forms. */
    static String headerSafe(String value) {
        if (printableAscii(value)) {
            return value;
        }
        String ascii = value.replace("→", "->").replace("≥", ">=").replace("≤", "<=").replace("—", "-");
        return ascii.chars().map(c -> c < 0x20 || c > 0x7e ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static boolean printableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fails fast, before anything is built, when another process already listens on the port.
     *
     * @throws PortInUse when it does
     */
    public static void ensureFree(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new PortInUse(port, e);
        }
    }

    /** Whether every address {@code host} names is a loopback address (127.0.0.0/8, ::1). */
    public static boolean isLoopback(String host) {
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public int port() {
        return app.port();
    }

    /** The base URL clients use, such as {@code http://127.0.0.1:8700}. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h.toLowerCase(Locale.ROOT) + ":" + port();
    }

    /** Stops accepting connections, waits for in-flight requests (up to the grace period), then returns. */
    public synchronized void stop() {
        if (stopped.getCount() > 0) {
            app.stop();
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop()} has completed. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        stop();
    }
}
