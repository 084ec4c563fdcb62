package dev.steward.app.server;

import dev.steward.config.BudgetConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.Budgets;
import dev.steward.router.Locality;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Route;
import dev.steward.router.Router;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A real server on a free loopback port over a real router, call log and SQLite database, with scripted models:
 * {@code test/fast} (a priced cloud model: $1 in, $2 out per million tokens), {@code test/slow}, {@code test/tiny}
 * (a 20-token context) and {@code test/broken} (always fails).
 */
final class Gateway implements AutoCloseable {
    final ScriptedModel fast = new ScriptedModel("test", "fast");
    final ScriptedModel slow = new ScriptedModel("test", "slow");
    final ScriptedModel tiny = new ScriptedModel("test", "tiny");
    final ScriptedModel broken = new ScriptedModel("test", "broken");
    final Database database;
    final ModelCallLog log;
    final Router router;
    final HttpServer server;

    Gateway(Path home, BudgetConfig budgets) {
        database = Database.open(home, DatabaseConfig.embedded());
        log = new ModelCallLog(database);
        List<Route> routes = List.of(
                new Route("test", "fast", Locality.CLOUD, "cloud", 1.0, 2.0, 100_000, fast),
                new Route("test", "slow", Locality.LOCAL, "local", 0, 0, 100_000, slow),
                new Route("test", "tiny", Locality.LOCAL, "local", 0, 0, 20, tiny),
                new Route("test", "broken", Locality.CLOUD, "cloud", 0, 0, 0, broken));
        RoutingConfig routing = new RoutingConfig(RoutingMode.AUTO, null, null, 0, null, null, null);
        router = new Router(routing, () -> routes, log,
                budgets == null ? null : new Budgets(budgets, log, Clock.systemUTC(), 60_000), null, Clock.systemUTC());
        server = HttpServer.start("127.0.0.1", 0, router, "local", Clock.systemUTC(), 5_000);
    }

    String url(String path) {
        return server.url() + path;
    }

    @Override
    public void close() {
        server.stop();
        router.close();
    }
}
