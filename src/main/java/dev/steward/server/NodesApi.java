package dev.steward.server;

import dev.steward.cluster.Nodes;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;

/** The nodes serving this database, their version, load and leases (admin): what {@code steward nodes} shows. */
final class NodesApi {
    private NodesApi() {}

    static void register(Services services, JavalinConfig config, RouteTable routes) {
        Nodes nodes = new Nodes(services.database(), services.clock(),
                services.config().cluster().heartbeatSeconds() * 1_000L);
        routes.add(config, HandlerType.GET, "/api/nodes", "The nodes serving this database: version, state, load and"
                + " task leases (admin)", ctx -> {
                    Access.admin(ctx);
                    HttpServer.json(ctx, 200, nodes.json());
                });
    }
}
