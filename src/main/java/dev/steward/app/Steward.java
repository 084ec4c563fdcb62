package dev.steward.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.BuiltinTools;
import dev.steward.actions.McpServers;
import dev.steward.actions.Tool;
import dev.steward.actions.Tools;
import dev.steward.agent.Agent;
import dev.steward.agent.IntentClassifier;
import dev.steward.agent.MemoryTools;
import dev.steward.agent.ModelFactExtractor;
import dev.steward.agent.Stats;
import dev.steward.agent.StatusTool;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStore;
import dev.steward.config.ConfigLoader;
import dev.steward.config.MemoryConfig;
import dev.steward.config.ProviderConfig;
import dev.steward.config.RoutingMode;
import dev.steward.config.StewardConfig;
import dev.steward.identity.Accounts;
import dev.steward.memory.Embedder;
import dev.steward.memory.FactExtractor;
import dev.steward.memory.Memory;
import dev.steward.memory.MemoryIndex;
import dev.steward.memory.PatternFactExtractor;
import dev.steward.router.Budgets;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelCatalog;
import dev.steward.router.ResponseCache;
import dev.steward.router.Router;
import dev.steward.server.Services;
import dev.steward.store.Database;
import dev.steward.support.Json;
import dev.steward.support.Version;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The wired application: configuration, database and the parts, built once per process and only when needed. */
final class Steward implements AutoCloseable {
    static final String LOCAL_USER = Accounts.LOCAL_USER;
    /** How often budgets re-read the spend of other processes. */
    static final long BUDGET_REFRESH_MILLIS = 5_000;

    private final StewardConfig config;
    private Database database;
    private TaskStore tasks;
    private ModelCallLog calls;
    private Router router;
    private ModelCatalog catalog;
    private Agent agent;
    private TaskRunner runner;
    private boolean longLived;
    private ActionGate gate;
    private MemoryIndex memorySearch;
    private Memory memory;
    /** What opening memory rebuilt into a new index, until a reindex reports it (see {@link #reindexMemory}). */
    private Map<String, Integer> rebuiltOnOpen;
    private Accounts accounts;

    private Steward(StewardConfig config) {
        this.config = config;
    }

    static Steward load(Map<String, String> env) {
        return new Steward(new ConfigLoader(env).load());
    }

    StewardConfig config() {
        return config;
    }

    synchronized Database database() {
        if (database == null) {
            database = Database.open(config.home(), config.database());
        }
        return database;
    }

    synchronized TaskStore tasks() {
        if (tasks == null) {
            tasks = new TaskStore(database());
        }
        return tasks;
    }

    synchronized ModelCallLog calls() {
        if (calls == null) {
            calls = new ModelCallLog(database());
        }
        return calls;
    }

    synchronized Router router() {
        if (router == null) {
            router = new Router(config.routing(), catalog(), calls(),
                    new Budgets(config.budgets(), calls(), Clock.systemUTC(), BUDGET_REFRESH_MILLIS),
                    ResponseCache.open(config.cache(), database(), Clock.systemUTC()), Clock.systemUTC());
        }
        return router;
    }

    /** The models to route to; asking providers for them waits for the first model call. */
    synchronized ModelCatalog catalog() {
        if (catalog == null) {
            catalog = new ModelCatalog(config.providers(), config.routing(),
                    config.routing().mode() != RoutingMode.OFFLINE);
        }
        return catalog;
    }

    synchronized Agent agent() {
        if (agent == null) {
            // With a model, a cheap JSON call classifies each message; offline (or if it fails), the lexical model
            // answers when sure and all-MiniLM-L6-v2 neighbours otherwise (it loads only then).
            IntentClassifier intents = IntentClassifier.model(router(),
                    IntentClassifier.offline(Embedder.miniLm(), config.home().resolve("cache")));
            agent = new Agent(router(), tasks(), gate(), memory(), config.agents(), intents);
        }
        return agent;
    }

    /** Runs tasks here or in the background, and tells observers (the server's streams) of every event. */
    synchronized TaskRunner runner() {
        if (runner == null) {
            runner = new TaskRunner(agent(), tasks());
        }
        return runner;
    }

    /** The gate every tool call passes, with the built-in tools, Steward's own status tool and the memory tools. */
    synchronized ActionGate gate() {
        if (gate == null) {
            List<Tool> all = builtinTools();
            all.add(new StatusTool(setup(), tasks()));
            all.addAll(MemoryTools.all(memory()));
            gate = new ActionGate(new Tools(all, McpServers.sources(config.mcpServers(), Version.current())),
                    config.actions(), database(), Clock.systemUTC());
            gate.audit().noteConfiguration(LOCAL_USER, fingerprint(), config.file().toString());
        }
        return gate;
    }

    /** Steward's built-in tools (files.*, shell.run, http.fetch, sql.query), without connecting to anything. */
    List<Tool> builtinTools() {
        return new ArrayList<>(BuiltinTools.create(config.actions(), config.workspace()));
    }

    /** A digest of the configuration file as written, so that a change leaves a row in the audit log. */
    private String fingerprint() {
        try {
            byte[] text = java.nio.file.Files.exists(config.file()) ? java.nio.file.Files.readAllBytes(config.file()) : new byte[0];
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text));
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            return "unreadable";
        }
    }

    /**
     * How memories are found: the hybrid index in {@code STEWARD_HOME/index/MODEL}. Searches by meaning as well as words, except in a short command that no language model waits on: loading the
     * embedding model costs such a command (an offline {@code ask}) more than a second, twice its whole run.
     */
    synchronized MemoryIndex memorySearch() {
        if (memorySearch == null) {
            memorySearch = MemoryIndex.open(config.home(), longLived || !router().offline());
        }
        return memorySearch;
    }

    /** Marks this process as one that runs for a while (serve, chat, mcp, an explicit search): memory searches by meaning. */
    synchronized Steward longLived() {
        longLived = true;
        return this;
    }

    synchronized Memory memory() {
        if (memory == null) {
            MemoryIndex index = memorySearch();
            FactExtractor extractor = config.memory().extractor() == MemoryConfig.Extractor.MODEL
                    ? new ModelFactExtractor(router(), new PatternFactExtractor())
                    : new PatternFactExtractor();
            memory = new Memory(database(), index, extractor, Clock.systemUTC());
            if (index.created()) {
                // a new index (first run, or another embedding model): fill it from the store
                rebuiltOnOpen = memory.reindexAll();
            }
        }
        return memory;
    }

    /**
     * Rebuilds the memory index from the store, per user how many memories; an index that was new when memory opened
     * was rebuilt then, and is not rebuilt twice.
     */
    synchronized Map<String, Integer> reindexMemory() {
        Memory m = memory();
        Map<String, Integer> rebuilt = rebuiltOnOpen;
        rebuiltOnOpen = null;
        return rebuilt != null ? rebuilt : m.reindexAll();
    }

    synchronized Accounts accounts() {
        if (accounts == null) {
            accounts = new Accounts(database(), Clock.systemUTC());
        }
        return accounts;
    }

    /** Everything the HTTP server exposes. */
    Services services() {
        return new Services(config, database(), router(), calls(), tasks(), runner(), gate(), memory(), memorySearch(),
                accounts(), () -> ConfigCommand.describe(config), Clock.systemUTC());
    }

    Stats stats() {
        return new Stats(tasks(), calls(), router().baseline(), Clock.systemUTC());
    }

    /** Saves what background writers still hold; called once the command is done. */
    @Override
    public synchronized void close() {
        if (runner != null) {
            runner.close();
        }
        if (gate != null) {
            gate.tools().close(); // stops the external MCP servers this process started
        }
        if (memorySearch != null) {
            memorySearch.close();
        }
        if (router != null) {
            router.close();
        } else if (calls != null) {
            calls.close();
        }
    }

    private ObjectNode setup() {
        ObjectNode setup = Json.object()
                .put("version", Version.current())
                .put("mode", router().offline() ? "offline" : config.routing().mode().id())
                .put("home", config.home().toString())
                .put("database", database().url());
        config.providers().stream().map(ProviderConfig::name).forEach(setup.putArray("providers")::add);
        return setup;
    }
}
