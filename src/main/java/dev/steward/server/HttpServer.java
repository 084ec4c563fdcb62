package dev.steward.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.cluster.Cluster;
import dev.steward.config.ServerConfig;
import dev.steward.identity.LoginThrottle;
import dev.steward.identity.Sessions;
import dev.steward.support.Json;
import dev.steward.telemetry.HttpTracing;
import dev.steward.telemetry.Tracing;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steward's HTTP server: Javalin on Jetty 12, one virtual thread per request. It serves {@code GET /health} and
 * {@code /ready} (open), Steward's own API under {@code /api}, the OpenAI-compatible API under {@code /v1}, MCP at
 * {@code /mcp} and Prometheus metrics at {@code /metrics}; everything but health, readiness and login needs an API key
 * or a session (see {@link Access}). Errors under {@code /v1} have OpenAI's shape, all others Steward's.
 * {@link #stop()} is graceful: it stops accepting, lets in-flight requests finish (up to a grace period), then
 * returns.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** How long a stop waits for in-flight requests, such as a long streamed answer, to finish. */
    public static final long DEFAULT_GRACE_MILLIS = 30_000;
    /** Request attributes the /mcp filter sets for the MCP server: who calls, and in which role. */
    public static final String MCP_USER = "steward.user", MCP_ROLE = "steward.role";

    private final Javalin app;
    private final String host;
    private final EventStreams streams;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final RouteTable routes;

    private HttpServer(Javalin app, String host, EventStreams streams, RouteTable routes) {
        this.app = app;
        this.host = host;
        this.streams = streams;
        this.routes = routes;
    }

    /**
     * How to serve.
     *
     * @param userRequestsPerMinute requests each user may make per minute (0: no limit); likewise per API key
     * @param heartbeat             how often a quiet event stream sends a comment, so proxies keep it open
     */
    public record Options(String host, int port, long graceMillis, int userRequestsPerMinute,
                          int keyRequestsPerMinute, Duration heartbeat) {
        public static final int DEFAULT_USER_REQUESTS_PER_MINUTE = 600;
        public static final int DEFAULT_KEY_REQUESTS_PER_MINUTE = 600;

        public static Options defaults(String host, int port) {
            return new Options(host, port, DEFAULT_GRACE_MILLIS, DEFAULT_USER_REQUESTS_PER_MINUTE,
                    DEFAULT_KEY_REQUESTS_PER_MINUTE, Duration.ofSeconds(15));
        }

        public Options withGraceMillis(long millis) {
            return new Options(host, port, millis, userRequestsPerMinute, keyRequestsPerMinute, heartbeat);
        }

        public Options withRateLimits(int perUser, int perKey) {
            return new Options(host, port, graceMillis, perUser, perKey, heartbeat);
        }

        public Options withHeartbeat(Duration every) {
            return new Options(host, port, graceMillis, userRequestsPerMinute, keyRequestsPerMinute, every);
        }
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
     * Starts serving and returns once it accepts connections; {@code mcp} (MCP's streamable HTTP transport, a
     * servlet) is mounted at {@code /mcp} if not null.
     *
     * @throws PortInUse when something else listens there already
     */
    public static HttpServer start(Options options, Services services, jakarta.servlet.http.HttpServlet mcp) {
        if (options.port() != 0) {
            ensureFree(options.host(), options.port());
        }
        Clock clock = services.clock();
        Sessions sessions = Sessions.open(services.config().home(), clock);
        Access access = new Access(services.accounts(), sessions, options.userRequestsPerMinute(),
                options.keyRequestsPerMinute(), Cluster.rateLimits(services.database(), clock).orElse(null));
        RouteTable routes = new RouteTable();
        Metrics metrics = new Metrics(services, routes);
        EventStreams streams = new EventStreams(services.runner(), services.tasks(), options.heartbeat());
        Javalin app = Javalin.create(config -> {
            configure(config, options, services.config().server());
            // A span for every request, /mcp included, continuing the caller's trace (a no-op when tracing is off).
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new org.eclipse.jetty.ee10.servlet.FilterHolder(new HttpTracing(RouteTable.TEMPLATE)), "/*",
                    java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST)));
            if (mcp != null) {
                config.jetty.modifyServletContextHandler(handler -> {
                    var holder = new org.eclipse.jetty.ee10.servlet.ServletHolder("mcp", mcp);
                    holder.setAsyncSupported(true);
                    handler.addServlet(holder, "/mcp");
                    handler.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(new McpAccessFilter(access)),
                            "/mcp", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                });
            }
            config.routes.before(ctx -> {
                ctx.attribute(Metrics.STARTED, System.nanoTime());
                if (ctx.path().startsWith("/api/") || ctx.path().startsWith("/v1/")) {
                    Access.sameOrigin(ctx);
                }
                if (needsCredentials(ctx.path())) {
                    ctx.attribute(Access.PRINCIPAL, access.authenticate(ctx.header("Authorization"),
                            ctx.cookie(Sessions.COOKIE), ctx.method().name(), ctx.header(Sessions.CSRF_HEADER)));
                    Tracing.annotate(Tracing.USER, Access.principal(ctx).userId());
                }
            });
            config.routes.after(metrics::recordRequest);
            routes.add(config, HandlerType.GET, "/health", "Liveness: answers while the process runs",
                    ctx -> json(ctx, 200, Json.object().put("status", "ok")));
            routes.add(config, HandlerType.GET, "/ready", "Readiness: the database and the memory index answer",
                    new Readiness(services)::check);
            routes.add(config, HandlerType.GET, "/metrics", "Prometheus metrics (admin)", metrics::scrape);
            OpenAiGateway gateway = new OpenAiGateway(services.router(), clock);
            routes.add(config, HandlerType.GET, "/v1/models", "OpenAI-compatible: the models", gateway::models);
            routes.add(config, HandlerType.POST, "/v1/chat/completions", "OpenAI-compatible: chat, plain or streamed",
                    gateway::chatCompletions);
            new AuthApi(services.accounts(), sessions, access, new LoginThrottle(clock)).register(config, routes);
            new TaskApi(services).register(config, routes);
            streams.register(config, routes);
            new ApprovalApi(services.gate(), services.runner()).register(config, routes);
            new MemoryApi(services.memory(), new dev.steward.memory.Teams(services.database(), clock))
                    .register(config, routes);
            new UserDataApi(services).register(config, routes);
            KnowledgeApi.register(services, config, routes);
            MemoryUpkeepApi.register(services, config, routes);
            if (services.skills() != null) {
                new SkillApi(services.skills(), services.gate()).register(config, routes);
            }
            new ReportApi(services).register(config, routes);
            RolloutApi.register(services, config, routes);
            if (services.automation() != null) {
                new AutomationApi(services.automation()).register(config, routes);
            }
            new LearningApi(services).register(config, routes);
            new CodeApi(services).register(config, routes);
            new ResearchApi(services).register(config, routes);
            NodesApi.register(services, config, routes);
            WebUi.mount(config);
            routes.add(config, HandlerType.GET, "/api/openapi.json", "This description of the API",
                    ctx -> json(ctx, 200, OpenApi.describe(routes.all())));
            config.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, fromJavalin(e, ctx, routes,
                    services.config().server().maxRequestBytes())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                if (bodyTooLarge(e)) { // a body sent without a length grew past the limit while it was read
                    error(ctx, Edge.tooLarge(services.config().server().maxRequestBytes()));
                    return;
                }
                if (dev.steward.store.Database.isOutage(e)) { // a restart of the database: one line, no stack trace
                    LOG.warn("{} {} failed: the database cannot be reached ({})", ctx.method(), ctx.path(), e.toString());
                } else {
                    LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
                }
                error(ctx, ApiError.from(e instanceof RuntimeException r ? r : new RuntimeException(e),
                        clock.instant()));
            });
        });
        try {
            app.start();
        } catch (JavalinBindException e) {
            throw new PortInUse(options.port(), e);
        }
        return new HttpServer(app, options.host(), streams, routes);
    }

    /** Everything under /api (but logging in), /v1 and /metrics; /health, /ready and the web UI's files are open. */
    static boolean needsCredentials(String path) {
        return (path.startsWith("/api/") && !path.equals(AuthApi.LOGIN)) || path.startsWith("/v1/")
                || path.equals("/v1") || path.equals("/api") || path.equals("/metrics");
    }

    private static boolean bodyTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException http && http.getCode() == 413) {
                return true;
            }
        }
        return false;
    }

    private static void configure(JavalinConfig config, Options options, ServerConfig server) {
        // Measured against Jetty's own platform pool and its virtual-thread executor (docs/benchmarks.md): a virtual
        // thread per request costs the least CPU per proxied call once a few dozen calls are in flight.
        config.concurrency.useVirtualThreads = true;
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = server.maxRequestBytes();
        // Compression would hold streamed events back until a buffer fills; on loopback it saves nothing anyway.
        config.http.compressionStrategy = CompressionStrategy.NONE;
        config.jetty.host = options.host();
        config.jetty.port = options.port();
        config.jetty.modifyServer(jetty -> {
            jetty.insertHandler(new GracefulHandler());
            new Edge(server).wrap(jetty); // allowlist, size limit and security headers, before anything else
            jetty.setStopTimeout(options.graceMillis());
        });
    }

    /** Javalin's own refusals (no such route, wrong method, body too large) in OpenAI's shape. */
    private static ApiError fromJavalin(HttpResponseException e, Context ctx, RouteTable routes, long maxBytes) {
        String request = ctx.method().name() + " " + ctx.path();
        return switch (e.getStatus()) {
            case 404 -> ctx.path().startsWith("/v1") ? new ApiError(404, ApiError.INVALID_REQUEST, null, "unknown_url",
                    "unknown URL: " + request + "; the API is at /v1 (GET /v1/models, POST /v1/chat/completions)")
                    : ApiError.of(404, "not_found", "unknown URL: " + request,
                    "GET /api/openapi.json lists every route");
            case 405 -> {
                Set<String> allowed = routes.methods(ctx.path());
                yield new ApiError(405, ApiError.INVALID_REQUEST, null, "method_not_allowed",
                        request + " is not allowed; use " + String.join(" or ", allowed))
                        .header("Allow", String.join(", ", allowed));
            }
            case 413 -> Edge.tooLarge(maxBytes);
            default -> new ApiError(e.getStatus(), ApiError.INVALID_REQUEST, null, null, e.getMessage());
        };
    }

    private static void error(Context ctx, ApiError error) {
        error.headers.forEach(ctx::header);
        json(ctx, error.status, ctx.path().startsWith("/v1") ? error.openAiBody() : error.body());
    }

    /** Starts a response of server-sent events, unbuffered by proxies on the way, and returns its body's stream. */
    static java.io.OutputStream eventStream(Context ctx) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        return ctx.res().getOutputStream();
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

    /** Every route Javalin serves, as {@code METHOD /path}: what the OpenAPI description must cover. */
    java.util.List<String> registeredRoutes() {
        Set<String> methods = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(e -> methods.contains(e.endpoint.method.name()))
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path).toList();
    }

    public int port() {
        return app.port();
    }

    /** The base URL clients use, such as {@code http://127.0.0.1:8700}. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h.toLowerCase(Locale.ROOT) + ":" + port();
    }

    /**
     * Stops accepting connections, waits for in-flight requests (up to the grace period), then returns. Event streams
     * are told to end first: they would otherwise hold the stop for the whole grace period.
     */
    public synchronized void stop() {
        if (stopped.getCount() > 0) {
            streams.close();
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
