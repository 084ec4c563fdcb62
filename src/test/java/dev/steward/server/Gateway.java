package dev.steward.server;

import dev.steward.actions.ActionGate;
import dev.steward.actions.BuiltinTools;
import dev.steward.actions.Tools;
import dev.steward.agent.Agent;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStore;
import dev.steward.config.ActionsConfig;
import dev.steward.config.BudgetConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.LearningConfig;
import dev.steward.config.Role;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.config.ServerConfig;
import dev.steward.config.StewardConfig;
import dev.steward.identity.Accounts;
import dev.steward.learning.Learning;
import dev.steward.memory.Knowledge;
import dev.steward.memory.Memory;
import dev.steward.memory.MemoryIndex;
import dev.steward.memory.PlainTextReader;
import dev.steward.memory.MemorySearch;
import dev.steward.memory.PatternFactExtractor;
import dev.steward.memory.SqlMemorySearch;
import dev.steward.router.Budgets;
import dev.steward.router.Locality;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Route;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real server on a free loopback port over real parts — router, call log, task runner, action gate, memory,
 * accounts — and a real SQLite database, with scripted models: {@code test/fast} (a priced cloud model: $1 in, $2 out
 * per million tokens), {@code test/slow}, {@code test/tiny} (a 20-token context) and {@code test/broken} (always
 * fails). Unscripted, a
 * model echoes the last user message. {@link #key} belongs to the user alice (standard).
 */
final class Gateway implements AutoCloseable {
    final ScriptedModel fast = new ScriptedModel("fast", "test").echoingWhenSpent();
    final ScriptedModel slow = new ScriptedModel("slow", "test").echoingWhenSpent();
    final ScriptedModel tiny = new ScriptedModel("tiny", "test").echoingWhenSpent();
    final ScriptedModel broken = new ScriptedModel("broken", "test").echoingWhenSpent();
    final Database database;
    final ModelCallLog log;
    final Router router;
    final Services services;
    final Accounts accounts;
    final Accounts.User alice;
    final String key;
    final HttpServer server;
    final Learning learning;
    /** The knowledge base's index (Lucene, by words); its documents are read as plain text. */
    final MemoryIndex knowledgeIndex;

    Gateway(Path home, BudgetConfig budgets) {
        this(home, budgets, HttpServer.Options.defaults("127.0.0.1", 0).withGraceMillis(5_000)
                .withHeartbeat(Duration.ofMillis(200)));
    }

    Gateway(Path home, BudgetConfig budgets, HttpServer.Options options) {
        this(home, DatabaseConfig.embedded(), budgets, options);
    }

    Gateway(Path home, DatabaseConfig databaseConfig, BudgetConfig budgets, HttpServer.Options options) {
        this(home, databaseConfig, budgets, options, null, null);
    }

    /** A gateway whose steward.yaml has this {@code server:} section (allowlist, size limit). */
    static Gateway withServerConfig(Path home, ServerConfig serverConfig) {
        return new Gateway(home, DatabaseConfig.embedded(), null, HttpServer.Options.defaults("127.0.0.1", 0)
                .withGraceMillis(5_000).withHeartbeat(Duration.ofMillis(200)), serverConfig, null);
    }

    /** A gateway over these models (real providers, say) instead of the scripted ones. */
    static Gateway over(Path home, java.util.function.Supplier<List<Route>> models) {
        return new Gateway(home, DatabaseConfig.embedded(), null, HttpServer.Options.defaults("127.0.0.1", 0)
                .withGraceMillis(5_000).withHeartbeat(Duration.ofMillis(200)), null, models);
    }

    private Gateway(Path home, DatabaseConfig databaseConfig, BudgetConfig budgets, HttpServer.Options options,
                    ServerConfig serverConfig, java.util.function.Supplier<List<Route>> models) {
        database = Database.open(home, databaseConfig);
        log = new ModelCallLog(database);
        List<Route> scripted = List.of(
                new Route("test", "fast", Locality.CLOUD, "cloud", 1.0, 2.0, 100_000, fast),
                new Route("test", "slow", Locality.LOCAL, "local", 0, 0, 100_000, slow),
                new Route("test", "tiny", Locality.LOCAL, "local", 0, 0, 20, tiny),
                new Route("test", "broken", Locality.CLOUD, "cloud", 0, 0, 0, broken));
        RoutingConfig routing = new RoutingConfig(RoutingMode.AUTO, null, null, 0, null, null, null);
        router = new Router(routing, models != null ? models : () -> scripted, log,
                budgets == null ? null : new Budgets(budgets, log, Clock.systemUTC(), 60_000), null, Clock.systemUTC());
        StewardConfig config = new StewardConfig(home, home.resolve("steward.yaml"), routing, null, budgets, null, null,
                null, null, null, null, null, null, null, serverConfig, null, null, null, null, null);
        TaskStore tasks = new TaskStore(database);
        ActionGate gate = new ActionGate(new Tools(BuiltinTools.create(ActionsConfig.defaults(), config.workspace())),
                ActionsConfig.defaults(), database, Clock.systemUTC());
        MemorySearch search = new SqlMemorySearch(database);
        knowledgeIndex = MemoryIndex.open(home, false).sibling("knowledge");
        Memory memory = new Memory(database, search, new PatternFactExtractor(), Clock.systemUTC(),
                new Knowledge(database, knowledgeIndex, new PlainTextReader(), Clock.systemUTC()));
        TaskRunner runner = new TaskRunner(new Agent(router, tasks, gate, 4, memory), tasks);
        accounts = new Accounts(database, Clock.systemUTC());
        alice = accounts.addUser("alice", Role.STANDARD, "alice-password");
        key = accounts.createKey("alice", "tests").secret();
        learning = new Learning(database, router, home, LearningConfig.defaults(), Map::of, (alias, model) -> {
            throw new IllegalStateException("no aliases here");
        }, Clock.systemUTC());
        services = new Services(config, database, router, log, tasks, runner, gate, memory, search, accounts,
                () -> Json.object().put("home", home.toString()), Clock.systemUTC(), null, null, null, learning);
        server = HttpServer.start(options, services, null);
    }

    String url(String path) {
        return server.url() + path;
    }

    /** A new user with this role and a key of theirs. */
    String keyOf(String name, Role role) {
        accounts.addUser(name, role, name + "-password");
        return accounts.createKey(name, "tests").secret();
    }

    @Override
    public void close() {
        server.stop();
        services.runner().close();
        learning.close();
        router.close();
        knowledgeIndex.close();
    }
}
