package dev.steward.app.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Every route the server registers, with a line saying what it does: the source of the OpenAPI description and of
 * the {@code Allow} header of a 405. Each handler runs with its route's template noted, for the metrics.
 *
 * <p>Handlers that write to the database run on a small pool of platform threads, not on the request's virtual
 * thread: SQLite waits for its write lock inside native code, which pins a virtual thread to its carrier, and with as
 * many waiters as cores the thread that holds the lock can no longer run to release it (measured: /api/chat under 32
 * connections stalled for the whole 30 s busy timeout). The request's virtual thread just parks until it is done.
 * Event streams (long, read-only) and the OpenAI gateway (its writes are batched in the background) stay virtual.
 */
final class RouteTable implements AutoCloseable {
    static final String TEMPLATE = "steward.route";
    /** Platform threads for handlers that write; SQLite takes one writer at a time anyway. */
    static final int STORE_THREADS = 16;

    /** One route: its method, its path template ({@code /api/tasks/{id}}) and what it does. */
    record Route(String method, String path, String summary) {
        boolean matches(String concretePath) {
            return Pattern.compile(path.replaceAll("\\{[^/]+}", "[^/]+")).matcher(concretePath).matches();
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final ExecutorService store = Executors.newFixedThreadPool(STORE_THREADS,
            Thread.ofPlatform().daemon().name("steward-api-", 1).factory());

    /** A route whose handler may write to the database: it runs on the store threads. */
    synchronized void add(JavalinConfig config, HandlerType method, String path, String summary, Handler handler) {
        register(config, method, path, summary, ctx -> {
            Future<?> done = store.submit(() -> {
                handler.handle(ctx);
                return null;
            });
            try {
                done.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                done.cancel(true);
                throw e;
            }
        });
    }

    /** A route whose handler only reads, or writes in the background: it runs on the request's virtual thread. */
    synchronized void addVirtual(JavalinConfig config, HandlerType method, String path, String summary,
                                 Handler handler) {
        register(config, method, path, summary, handler);
    }

    private void register(JavalinConfig config, HandlerType method, String path, String summary, Handler handler) {
        routes.add(new Route(method.name(), path, summary));
        config.routes.addHttpHandler(method, path, ctx -> {
            ctx.attribute(TEMPLATE, path);
            handler.handle(ctx);
        });
    }

    /** Lets handlers in flight finish (the server has stopped taking requests), then ends the threads. */
    @Override
    public void close() {
        store.close();
    }

    synchronized List<Route> all() {
        return List.copyOf(routes);
    }

    /** The template of the route a concrete path falls under, if any. */
    synchronized java.util.Optional<String> template(String concretePath) {
        return routes.stream().filter(r -> r.matches(concretePath)).map(Route::path).findFirst();
    }

    /** The methods a concrete path accepts. */
    synchronized Set<String> methods(String concretePath) {
        Set<String> methods = new LinkedHashSet<>();
        routes.stream().filter(r -> r.matches(concretePath)).forEach(r -> methods.add(r.method()));
        return methods;
    }
}
