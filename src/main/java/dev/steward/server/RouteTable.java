package dev.steward.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every route the server registers, with a line saying what it does: the source of the OpenAPI description and of
 * the {@code Allow} header of a 405. Each handler runs with its route's template noted, for the metrics.
 *
 * <p>Every handler runs on the request's virtual thread. Handlers that write to SQLite once had to move to platform
 * threads, because SQLite's own wait for its write lock blocks in native code and so pins a virtual thread to its
 * carrier; the store now queues this process's writers on a Java lock first, where a waiting virtual thread unmounts.
 */
final class RouteTable {
    static final String TEMPLATE = "steward.route";

    /** One route: its method, its path template ({@code /api/tasks/{id}}) and what it does. */
    record Route(String method, String path, String summary) {
        boolean matches(String concretePath) {
            return Pattern.compile(path.replaceAll("\\{[^/]+}", "[^/]+")).matcher(concretePath).matches();
        }
    }

    private final List<Route> routes = new ArrayList<>();

    synchronized void add(JavalinConfig config, HandlerType method, String path, String summary, Handler handler) {
        routes.add(new Route(method.name(), path, summary));
        config.routes.addHttpHandler(method, path, ctx -> {
            ctx.attribute(TEMPLATE, path);
            handler.handle(ctx);
        });
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
