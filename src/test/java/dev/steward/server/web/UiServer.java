package dev.steward.server.web;

import dev.steward.skills.SkillTools;
import dev.steward.skills.Skills;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.BuiltinTools;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolResult;
import dev.steward.actions.ToolSpec;
import dev.steward.actions.Tools;
import dev.steward.agent.Agent;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStore;
import dev.steward.config.ActionsConfig;
import dev.steward.config.BudgetConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.Role;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.config.StewardConfig;
import dev.steward.identity.Accounts;
import dev.steward.memory.Memory;
import dev.steward.memory.MemorySearch;
import dev.steward.memory.PatternFactExtractor;
import dev.steward.memory.SqlMemorySearch;
import dev.steward.rollout.Rollouts;
import dev.steward.router.Budgets;
import dev.steward.router.ChatModel;
import dev.steward.router.ChatRequest;
import dev.steward.router.ChatResponse;
import dev.steward.router.Locality;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelException;
import dev.steward.router.Route;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.server.HttpServer;
import dev.steward.server.Services;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Steward's real HTTP server for the browser tests, on a free loopback port, over real parts (router, call log,
 * task runner, action gate with its audit log, memory, accounts) and a fresh SQLite home. The one model, priced like
 * a cloud model ($1 per million tokens in, $2 out) so that answers cost something, says what the script of
 * {@link #newScript()} says; a global budget of {@value #DAILY_BUDGET_DOLLARS} dollars a day gives the dashboard a
 * gauge. Besides the built-in tools there is {@code sms.send}, a paid tool ({@value #SMS_COST_MICROS} micro-dollars a
 * message) that needs approval, and that records what it sent in {@link #smsSent}.
 */
final class UiServer implements AutoCloseable {
    static final long SMS_COST_MICROS = 50_000;
    static final double DAILY_BUDGET_DOLLARS = 5.0;

    private final Scripts model = new Scripts();
    final List<JsonNode> smsSent = new CopyOnWriteArrayList<>();
    final Accounts accounts;
    /** The skill registry: the bundled skills, in this server's home. */
    final Skills skills;
    final TaskStore tasks;
    final Memory memory;
    /** Where settings changed through the API are written. */
    final Path settingsFile;
    /** Schedules, crews and the inbox, for the automation page. */
    final dev.steward.schedule.Automation automation;
    private final Router router;
    /** Rollouts as the server serves them; promotion here changes no file. */
    final Rollouts rollouts;
    private final TaskRunner runner;
    /** The learning loop: ratings from the thumbs, proposals for the Improvements page. */
    final dev.steward.learning.Learning learning;
    private final HttpServer server;

    UiServer(Path home) {
        this(home, ActionsConfig.defaults());
    }

    /** The knowledge base's index (Lucene, by words); its documents are read as plain text. */
    private final dev.steward.memory.MemoryIndex knowledgeIndex;

    /** @param actions the gate's rules and the built-in tools' limits (a test may let http.fetch reach loopback) */
    UiServer(Path home, ActionsConfig actions) {
        Database database = Database.open(home, DatabaseConfig.embedded());
        ModelCallLog calls = new ModelCallLog(database);
        List<Route> routes = List.of(new Route("test", "smart", Locality.CLOUD, "cloud", 1.0, 2.0, 100_000, model));
        BudgetConfig budgets = new BudgetConfig(BudgetConfig.OnExceeded.REFUSE, null,
                new BudgetConfig.Limits(null, DAILY_BUDGET_DOLLARS, null), null, null);
        RoutingConfig routing = RoutingConfig.defaults().withMode(RoutingMode.CLOUD);
        router = new Router(routing, () -> routes, calls, new Budgets(budgets, calls, Clock.systemUTC(), 1_000), null,
                Clock.systemUTC());
        StewardConfig config = StewardConfig.defaults(home);
        settingsFile = config.file();
        List<Tool> tools = new ArrayList<>(BuiltinTools.create(actions, config.workspace()));
        tools.add(new SmsTool(smsSent));
        skills = new Skills(database, home, config.workspace(), ActionsConfig.defaults().shell(), Clock.systemUTC());
        tools.addAll(SkillTools.all(skills));
        ActionGate gate = new ActionGate(new Tools(tools), actions, database, Clock.systemUTC());
        MemorySearch search = new SqlMemorySearch(database);
        knowledgeIndex = dev.steward.memory.MemoryIndex.open(home, false).sibling("knowledge");
        memory = new Memory(database, search, new PatternFactExtractor(), Clock.systemUTC(),
                new dev.steward.memory.Knowledge(database, knowledgeIndex, new dev.steward.memory.PlainTextReader(),
                        Clock.systemUTC()));
        tasks = new TaskStore(database);
        runner = new TaskRunner(new Agent(router, tasks, gate, 4, memory), tasks);
        accounts = new Accounts(database, Clock.systemUTC());
        ObjectNode settings = Json.object().put("home", home.toString()).put("file", config.file().toString());
        settings.putObject("routing").put("mode", routing.mode().id());
        automation = new dev.steward.schedule.Automation(config, database, tasks, () -> runner, () -> gate,
                () -> memory, () -> router, "local", Clock.systemUTC());
        rollouts = new Rollouts(database, Clock.systemUTC(), new Rollouts.Promotion() {
            @Override
            public void persist(dev.steward.rollout.Rollout rollout) {}

            @Override
            public void retarget(String alias, String model) {}
        });
        learning = new dev.steward.learning.Learning(database, router, home,
                dev.steward.config.LearningConfig.defaults(), java.util.Map::of, (alias, to) -> {}, Clock.systemUTC());
        Services services = new Services(config, database, router, calls, tasks, runner, gate, memory, search,
                accounts, () -> settings, Clock.systemUTC(), skills, rollouts, automation, learning);
        server = HttpServer.start(HttpServer.Options.defaults("127.0.0.1", 0).withGraceMillis(2_000), services, null);
    }

    /** A new, empty script for the model: what an earlier test left unsaid is not said to the next one. */
    ScriptedModel newScript() {
        ScriptedModel script = new ScriptedModel("smart", "test");
        model.current = script;
        return script;
    }

    String url() {
        return server.url() + "/";
    }

    /** A user made as {@code steward users add} makes one. */
    Accounts.User addUser(String name, Role role, String password) {
        return accounts.addUser(name, role, password);
    }

    @Override
    public void close() {
        server.stop();
        automation.close();
        learning.close();
        runner.close();
        router.close();
        knowledgeIndex.close();
    }

    /** The route's model: whichever script is current. */
    private static final class Scripts implements ChatModel {
        volatile ScriptedModel current = new ScriptedModel("smart", "test");

        @Override
        public String name() {
            return current.name();
        }

        @Override
        public String provider() {
            return current.provider();
        }

        @Override
        public ChatResponse chat(ChatRequest request) throws ModelException {
            return current.chat(request);
        }
    }

    /** Sends a text message, for a price: a paid action, so the gate asks a person first. */
    private record SmsTool(List<JsonNode> sent) implements Tool {
        @Override
        public ToolSpec spec() {
            return new ToolSpec("sms.send", "Send a text message to a phone number.", Json.parse("""
                    {"type": "object", "required": ["to", "text"],
                     "properties": {"to": {"type": "string"}, "text": {"type": "string"}}}"""),
                    Risk.PAID, SMS_COST_MICROS);
        }

        @Override
        public ToolResult call(JsonNode arguments, ToolContext context) {
            sent.add(arguments);
            return ToolResult.ok(Json.object().put("sent", true).put("to", arguments.path("to").asText()));
        }
    }
}
