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
import dev.steward.agent.ModelEpisodeSummariser;
import dev.steward.agent.ModelFactExtractor;
import dev.steward.agent.Stats;
import dev.steward.agent.StatusTool;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStore;
import dev.steward.cluster.Cluster;
import dev.steward.config.AliasFile;
import dev.steward.config.ConfigLoader;
import dev.steward.config.MemoryConfig;
import dev.steward.config.ProviderConfig;
import dev.steward.config.RoutingMode;
import dev.steward.config.StewardConfig;
import dev.steward.identity.Accounts;
import dev.steward.learning.Learning;
import dev.steward.learning.LearningSchedule;
import dev.steward.learning.Preferences;
import dev.steward.learning.Rating;
import dev.steward.learning.SelfDiagnosis;
import dev.steward.integrations.browser.BrowserTools;
import dev.steward.integrations.browser.WebBrowser;
import dev.steward.memory.Embedder;
import dev.steward.memory.FactExtractor;
import dev.steward.memory.Knowledge;
import dev.steward.memory.KnowledgeWatch;
import dev.steward.memory.Memory;
import dev.steward.memory.MemoryIndex;
import dev.steward.memory.MemoryUpkeep;
import dev.steward.memory.PatternFactExtractor;
import dev.steward.rollout.FeatureFlags;
import dev.steward.rollout.Rollouts;
import dev.steward.router.AliasArbiter;
import dev.steward.router.Budgets;
import dev.steward.router.LayeredCache;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelCatalog;
import dev.steward.router.ResponseCache;
import dev.steward.router.Route;
import dev.steward.router.SemanticCache;
import dev.steward.router.Router;
import dev.steward.schedule.Automation;
import dev.steward.server.Services;
import dev.steward.skills.SkillOffers;
import dev.steward.skills.SkillPrompt;
import dev.steward.skills.SkillTools;
import dev.steward.skills.Skills;
import dev.steward.store.Database;
import dev.steward.support.Json;
import dev.steward.support.Lazy;
import dev.steward.support.Version;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The wired application: the configuration and every part built from it, each made once, on first use, so that a
 * command pays only for the parts it touches. The wiring is fixed when Steward is made; nothing is swapped later.
 */
final class Steward implements AutoCloseable {
    static final String LOCAL_USER = Accounts.LOCAL_USER;
    /** How often budgets re-read the spend of other processes. */
    static final long BUDGET_REFRESH_MILLIS = 5_000;

    /**
     * How long this process runs. A long one (serve, chat, mcp, an explicit search) searches memory by meaning too;
     * a short one that no language model waits on does not load the embedding model, which would cost an offline
     * {@code ask} more than a second, twice its whole run.
     */
    enum Lifetime { SHORT, LONG }

    private final StewardConfig config;
    private final Lifetime lifetime;
    /** The environment the configuration was read with: the secret store's keyset may come from it. */
    private final Map<String, String> env;
    private final Clock clock = Clock.systemUTC();
    private final Lazy<Database> database;
    private final Lazy<TaskStore> tasks;
    private final Lazy<ModelCallLog> calls;
    private final Lazy<ModelCatalog> catalog;
    /** The catalog's models, discovered once: the router routes to them; the memory index asks only if there are any. */
    private final Lazy<List<Route>> routes;
    private final Lazy<Router> router;
    private final Lazy<ActionGate> gate;
    private final Lazy<MemoryIndex> memorySearch;
    private final Lazy<Memory> memory;
    /** The knowledge base of the users' documents, with its own index beside the memories'. */
    private final Lazy<Knowledge> knowledge;
    private final Lazy<MemoryIndex> knowledgeIndex;
    /** Under serve: the watched folders followed, and new chunks embedded, in the background. */
    private final Lazy<KnowledgeWatch> knowledgeWatch;
    private final Lazy<Agent> agent;
    private final Lazy<TaskRunner> runner;
    private final Lazy<Accounts> accounts;
    private final Lazy<Rollouts> rollouts;
    private final Lazy<Skills> skills;
    private final Lazy<SkillOffers> skillOffers;
    private final Lazy<Automation> automation;
    private final Lazy<Learning> learning;
    private final Lazy<LearningSchedule> learningSchedule;
    /** The nodes sharing this database: PostgreSQL only; on SQLite every part stays in this process. */
    private final Lazy<Optional<Cluster>> cluster;
    /** Chromium for the browser.* tools: the object is cheap, the browser starts on the first browser call. */
    private final Lazy<WebBrowser> browser;
    /** The offline intent classifier's model (cheap until its first embedding); closed with the memory model. */
    private final Embedder intentModel = Embedder.miniLm();
    /** What opening memory rebuilt into a new index, until a reindex reports it (see {@link #reindexMemory}). */
    private final AtomicReference<Map<String, Integer>> rebuiltOnOpen = new AtomicReference<>();

    private Steward(StewardConfig config, Lifetime lifetime, Map<String, String> env) {
        this.config = config;
        this.lifetime = lifetime;
        this.env = Map.copyOf(env);
        database = Lazy.of(() -> Database.open(config.home(), config.database()));
        cluster = Lazy.of(() -> Cluster.of(database.get(), config.cluster(), clock));
        tasks = Lazy.of(() -> new TaskStore(database.get()));
        calls = Lazy.of(() -> new ModelCallLog(database.get()));
        // Asking providers for their models waits for the first model call.
        catalog = Lazy.of(() -> new ModelCatalog(config.providers(), config.routing(),
                config.routing().mode() != RoutingMode.OFFLINE));
        routes = Lazy.of(() -> catalog.get().get());
        router = Lazy.of(() -> new Router(config.routing(), routes, calls.get(),
                new Budgets(config.budgets(), calls.get(), clock, BUDGET_REFRESH_MILLIS,
                        cluster.get().map(Cluster::budgetLedger).orElse(null)),
                LayeredCache.of(ResponseCache.open(config.cache(), database.get(), clock),
                        SemanticCache.open(config.cache().semantic(),
                                this::embedQuestion, clock)),
                clock, aliasArbiter()));
        gate = Lazy.of(this::openGate);
        // Whether a model answers, without the router: the index then opens beside the database, not after it.
        memorySearch = Lazy.of(() -> MemoryIndex.open(config.home(),
                lifetime == Lifetime.LONG || !Router.offline(config.routing(), routes.get())));
        memory = Lazy.of(this::openMemory);
        knowledgeIndex = Lazy.of(() -> memorySearch.get().sibling("knowledge"));
        knowledge = Lazy.of(() -> {
            Knowledge opened = new Knowledge(database.get(), knowledgeIndex.get(), new DocumentFiles(), clock);
            if (knowledgeIndex.get().created()) {
                opened.reindexAll(); // a new index (another embedding model): fill it from the rows
            }
            return opened;
        });
        knowledgeWatch = Lazy.of(() -> new KnowledgeWatch(knowledge.get(), KNOWLEDGE_WATCH_EVERY, KNOWLEDGE_SETTLE));
        skills = Lazy.of(() -> new Skills(database.get(), config.home(), config.workspace(), config.actions().shell(),
                clock));
        skillOffers = Lazy.of(() -> new SkillOffers(database.get(), skills.get(), gate::get, config.home(), clock));
        agent = Lazy.of(() -> {
            // With a model, a cheap JSON call classifies each message; offline (or if it fails), the lexical model
            // answers when sure and all-MiniLM-L6-v2 neighbours otherwise (it loads only then).
            IntentClassifier intents = IntentClassifier.model(router.get(),
                    IntentClassifier.offline(intentModel, config.home().resolve("cache")));
            return new Agent(router.get(), tasks.get(), gate.get(), memory.get(), config.agents(), intents,
                    List.of((user, input) -> SkillPrompt.of(skills.get(), SkillPrompt.DEFAULT_BUDGET_TOKENS),
                            new Preferences(config.home())::context),
                    (flag, user) -> new FeatureFlags(database.get(), clock).enabled(flag, user));
        });
        browser = Lazy.of(() -> new WebBrowser(config.browser(), config.actions().http(), config.workspace()));
        runner = Lazy.of(() -> {
            TaskRunner made = new TaskRunner(agent.get(), tasks.get(),
                    java.time.Duration.ofSeconds(config.cluster().leaseSeconds()), java.time.Duration.ofSeconds(1));
            made.subscribe((user, event) -> {
                if (event.type().ends()) { // a task's browser context ends with it
                    browser.ifMade(b -> b.endTask(event.taskId()));
                }
            });
            made.subscribe(new SkillOfferWatch(tasks.get(), skillOffers::get, (user, offer) -> automation()
                    .notifications().notify(user, "skill_offer", "Automate this? Save '" + offer.name()
                            + "' as a skill", "The same kind of task succeeded three times. Steward drafted a skill"
                            + " from its steps; read it with 'steward approvals show " + offer.approvalId()
                            + "', then approve or reject it."))); // "Automate this?"
            made.subscribe(this::supervisorVerdictToRollout);
            return made;
        });
        accounts = Lazy.of(() -> new Accounts(database.get(), clock));
        rollouts = Lazy.of(() -> new Rollouts(database.get(), clock, new RolloutPromotion(config, database, router)));
        automation = Lazy.of(() -> new Automation(config, database.get(), tasks.get(), runner::get, gate::get,
                memory::get, router::get, LOCAL_USER, clock));
        learning = Lazy.of(() -> {
            Learning made = new Learning(database.get(), router.get(), config.home(), config.learning(),
                    () -> config.routing().aliases(), (alias, model) -> AliasFile.point(config.file(), alias, model),
                    new Learning.Levers(config::routing, (key, value) -> AliasFile.setRouting(config.file(), key, value),
                            this::memoryUpkeep),
                    clock);
            if (!config.routing().aliases().isEmpty()) { // a rating of an answer a rollout's arm gave judges that arm
                made.onRating(f -> rollouts.get().judged(f.taskId(), Rollouts.Judgement.FEEDBACK,
                        f.rating() == Rating.UP));
            }
            return made;
        });
        learningSchedule = Lazy.of(() -> new LearningSchedule(learning.get(), () -> selfDiagnosis().run(),
                (kind, title, body) -> automation.get().notifications().notify(automation.get().owner(), kind, title,
                        body)));
    }

    /** A Supervisor verdict judges the rollout arm that answered the task, when one did (the quality gate). */
    private void supervisorVerdictToRollout(String user, dev.steward.agent.TaskEvent event) {
        if (event.type() == dev.steward.agent.TaskEvent.Kind.REVIEW && event.data() != null
                && !config.routing().aliases().isEmpty()) {
            rollouts.get().judged(event.taskId(), Rollouts.Judgement.SUPERVISOR,
                    "pass".equals(event.data().path("verdict").asText()));
        }
    }

    /** Rollouts decide who gets which model of an alias; without aliases there is nothing to decide (or to read). */
    private AliasArbiter aliasArbiter() {
        if (config.routing().aliases().isEmpty()) {
            return AliasArbiter.NONE;
        }
        return new AliasArbiter() {
            @Override
            public Assignment assign(String alias, String baseline, dev.steward.router.CallContext context) {
                return rollouts.get().assign(alias, baseline, context);
            }

            @Override
            public void observe(Observed call) {
                rollouts.get().observe(call);
            }
        };
    }

    static Steward load(Map<String, String> env, Lifetime lifetime) {
        return new Steward(new ConfigLoader(env).load(), lifetime, env);
    }

    StewardConfig config() {
        return config;
    }

    Lifetime lifetime() {
        return lifetime;
    }

    Database database() {
        return database.get();
    }

    TaskStore tasks() {
        return tasks.get();
    }

    ModelCallLog calls() {
        return calls.get();
    }

    Router router() {
        return router.get();
    }

    /** The models to route to. */
    ModelCatalog catalog() {
        return catalog.get();
    }

    Agent agent() {
        return agent.get();
    }

    /** Runs tasks here or in the background, and tells observers (the server's streams) of every event. */
    TaskRunner runner() {
        return runner.get();
    }

    /** The gate every tool call passes, with the built-in tools, Steward's own status tool and the memory tools. */
    ActionGate gate() {
        return gate.get();
    }

    /** How memories are found: the hybrid index in {@code STEWARD_HOME/index/MODEL} (by meaning too when long-lived). */
    /** A question's vector for the semantic cache: the memory index's model, loaded once for both. */
    private float[] embedQuestion(String text) {
        return memorySearch.get().embedder().embedQuery(text);
    }

    MemoryIndex memorySearch() {
        return memorySearch.get();
    }

    Memory memory() {
        return memory.get();
    }

    /** Memory upkeep; old episodes are summarised by the model through the router, extractively offline. */
    MemoryUpkeep memoryUpkeep() {
        return new MemoryUpkeep(database.get(), memory.get(), clock, new ModelEpisodeSummariser(router::get));
    }

    Knowledge knowledge() {
        return knowledge.get();
    }

    /** How often serve looks through the watched folders, and how long a file must be left alone to be read. */
    static final java.time.Duration KNOWLEDGE_WATCH_EVERY = java.time.Duration.ofSeconds(3);
    static final java.time.Duration KNOWLEDGE_SETTLE = java.time.Duration.ofSeconds(1);

    /**
     * For serve: new knowledge chunks get their vectors in the background (a search no longer embeds them on its
     * path), and watched folders are followed.
     */
    void followKnowledge() {
        knowledgeIndex.get().embedInBackground(java.time.Duration.ofMillis(200));
        knowledgeWatch.get().start();
    }

    Accounts accounts() {
        return accounts.get();
    }

    /** Phased rollouts of routing aliases (their rows; the router consults them on every alias call). */
    Rollouts rollouts() {
        return rollouts.get();
    }

    /** The skill registry: bundled, STEWARD_HOME/skills and added skills; their runs go through the gate. */
    Skills skills() {
        return skills.get();
    }

    /** Schedules, crews, webhooks, notifications and the briefing. */
    Automation automation() {
        return automation.get();
    }

    /** Ratings, analyses and proposals, applied as commits of the configuration history. */
    Learning learning() {
        return learning.get();
    }

    /** serve's periodic analysis and health check ({@code learning.analyze_every_hours}). */
    LearningSchedule learningSchedule() {
        return learningSchedule.get();
    }

    /** This process as a node of several on PostgreSQL; empty on SQLite. */
    Optional<Cluster> cluster() {
        return cluster.get();
    }

    /** The deep checks of 'steward doctor --deep' and of serve's periodic health job. */
    SelfDiagnosis selfDiagnosis() {
        return new SelfDiagnosis(database(), gate().audit(), memory(), router().budgets().orElse(null), config.home(),
                clock);
    }

    private ActionGate openGate() {
        List<Tool> all = builtinTools();
        all.add(new StatusTool(setup(), tasks.get()));
        all.addAll(MemoryTools.all(memory.get()));
        all.addAll(SkillTools.all(skills.get()));
        all.add(skillOffers.get().installTool());
        all.addAll(IntegrationTools.create(config));
        ActionGate opened = new ActionGate(new Tools(all, McpServers.sources(config.mcpServers(), Version.current())),
                config.actions(), database.get(), clock, IntegrationTools.totp(config, env),
                cluster.get().map(Cluster::rateLimits).orElse(null)); // on PostgreSQL every node counts in one bucket
        opened.audit().noteConfiguration(LOCAL_USER, fingerprint(), config.file().toString());
        return opened;
    }

    private Memory openMemory() {
        MemoryIndex index = memorySearch.get();
        FactExtractor extractor = config.memory().extractor() == MemoryConfig.Extractor.MODEL
                ? new ModelFactExtractor(router.get(), new PatternFactExtractor())
                : new PatternFactExtractor();
        Optional<Cluster> nodes = cluster.get();
        if (nodes.isPresent()) {
            // The index follows the database's memory feed; a new or lagging one is first built from the rows.
            var following = nodes.get().follow(index, index.created(), config.home(),
                    () -> rebuiltOnOpen.set(new Memory(database.get(), index, extractor, clock, knowledge.get())
                            .reindexAll(IndexRebuildProgress.onStderr())));
            return new Memory(database.get(), following, extractor, clock, knowledge.get());
        }
        Memory opened = new Memory(database.get(), index, extractor, clock, knowledge.get());
        if (index.created()) {
            // a new index (first run, or another embedding model): fill it from the store
            rebuiltOnOpen.set(opened.reindexAll(IndexRebuildProgress.onStderr()));
        }
        return opened;
    }

    /** Steward's built-in tools (files.*, shell.run, http.fetch, sql.query, browser.*), without starting anything. */
    List<Tool> builtinTools() {
        List<Tool> tools = new ArrayList<>(BuiltinTools.create(config.actions(), config.workspace()));
        tools.addAll(BrowserTools.create(browser.get()));
        return tools;
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
     * Rebuilds the memory index from the store, per user how many memories; an index that was new when memory opened
     * was rebuilt then, and is not rebuilt twice.
     */
    Map<String, Integer> reindexMemory() {
        Memory m = memory.get();
        Map<String, Integer> rebuilt = rebuiltOnOpen.getAndSet(null);
        return rebuilt != null ? rebuilt : m.reindexAll(IndexRebuildProgress.onStderr());
    }

    /** Everything the HTTP server exposes. */
    Services services() {
        return new Services(config, database(), router(), calls(), tasks(), runner(), gate(), memory(), memorySearch(),
                accounts(), () -> ConfigCommand.describe(config), clock, skills(), rollouts(), automation(),
                learning());
    }

    Stats stats() {
        return new Stats(tasks(), calls(), router().baseline(), clock);
    }

    /** Saves what background writers still hold; called once the command is done. Never makes a part to close it. */
    @Override
    public void close() {
        automation.ifMade(Automation::close); // the scheduler stops before the runner its schedules use
        cluster.ifMade(c -> c.ifPresent(Cluster::drain)); // the registry shows it draining while tasks are handed back
        runner.ifMade(TaskRunner::close);
        cluster.ifMade(c -> c.ifPresent(Cluster::close));
        rollouts.ifMade(Rollouts::close);
        learningSchedule.ifMade(LearningSchedule::close);
        learning.ifMade(Learning::close);
        gate.ifMade(g -> g.tools().close()); // stops the external MCP servers this process started
        memorySearch.ifMade(MemoryIndex::close);
        knowledgeWatch.ifMade(KnowledgeWatch::close); // before the index it writes
        knowledgeIndex.ifMade(MemoryIndex::close);
        closeModels();
        browser.ifMade(WebBrowser::close);
        if (router.isMade()) {
            router.get().close();
        } else {
            calls.ifMade(ModelCallLog::close);
        }
    }

    /**
     * Stops the in-process embedding models: later embeddings fail clearly, and this returns once those under way
     * are done (bounded), so that the process may exit without a model running in freed native memory (issue 23).
     */
    void closeModels() {
        memorySearch.ifMade(index -> index.embedder().close()); // the knowledge index shares it
        intentModel.close();
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
