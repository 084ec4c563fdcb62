package dev.steward;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of ARCHITECTURE.md and which way they lean: dependencies point down only.
 *
 * <pre>
 *  app                      wires everything; the CLI
 *   ├── bench               the project's own benchmarks and fits (only app's bench command uses it)
 *   └── server              HTTP API, web UI, gateway, MCP server (knows no app)
 *  schedule · learning · rollout · research · code    work on their own, above the agent (none knows another)
 *  cluster                  several nodes on one PostgreSQL: registry, memory feed, shared budgets, event relay
 *  agent                    Manager, Employee, Supervisor; tasks
 *  skills · integrations    abilities and real-world tools: clients of actions, never around its gate
 *  router · actions · memory         side by side: none of them knows another
 *  identity · telemetry     users, keys, roles, sessions · traces and metrics
 *  store                    the database, rows and migrations
 *  config                   steward.yaml and the environment
 *  support                  small helpers every part may use
 * </pre>
 *
 * A higher part may use any part below it, not only the next one. A part that has no classes yet (round two
 * adds them) already has its place. If a new top-level package appears, give it a place here:
 * {@link #everyClassBelongsToAPart} fails until it has one. {@code ArchitectureRulesTest} shows these rules
 * fail on an arrow that points up and on a cycle.
 */
@AnalyzeClasses(packages = "dev.steward", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    static final String APP = "dev.steward.app..";
    static final String BENCH = "dev.steward.bench..";
    static final String SERVER = "dev.steward.server..";
    static final String SCHEDULE = "dev.steward.schedule..";
    static final String LEARNING = "dev.steward.learning..";
    static final String ROLLOUT = "dev.steward.rollout..";
    static final String RESEARCH = "dev.steward.research..";
    static final String CODE = "dev.steward.code..";
    static final String CLUSTER = "dev.steward.cluster..";
    static final String AGENT = "dev.steward.agent..";
    static final String SKILLS = "dev.steward.skills..";
    static final String INTEGRATIONS = "dev.steward.integrations..";
    static final String ROUTER = "dev.steward.router..";
    static final String ACTIONS = "dev.steward.actions..";
    static final String MEMORY = "dev.steward.memory..";
    static final String IDENTITY = "dev.steward.identity..";
    static final String TELEMETRY = "dev.steward.telemetry..";
    static final String STORE = "dev.steward.store..";
    static final String CONFIG = "dev.steward.config..";
    static final String SUPPORT = "dev.steward.support..";

    static final String[] ALL = {APP, BENCH, SERVER, SCHEDULE, LEARNING, ROLLOUT, RESEARCH, CODE, CLUSTER, AGENT, SKILLS, INTEGRATIONS,
            ROUTER,
            ACTIONS, MEMORY, IDENTITY, TELEMETRY, STORE, CONFIG, SUPPORT};

    @ArchTest
    static final ArchRule dependenciesPointDownOnly = layers()
            .because("ARCHITECTURE.md: arrows point down only, and app is the only place that wires things together");

    private static LayeredArchitecture layers() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                // Round two's parts have no classes yet; a layer with none is not an error.
                .withOptionalLayers(true)
                .layer("app").definedBy(APP)
                .layer("bench").definedBy(BENCH)
                .layer("server").definedBy(SERVER)
                .layer("schedule").definedBy(SCHEDULE)
                .layer("learning").definedBy(LEARNING)
                .layer("rollout").definedBy(ROLLOUT)
                .layer("research").definedBy(RESEARCH)
                .layer("code").definedBy(CODE)
                .layer("cluster").definedBy(CLUSTER)
                .layer("agent").definedBy(AGENT)
                .layer("skills").definedBy(SKILLS)
                .layer("integrations").definedBy(INTEGRATIONS)
                .layer("router").definedBy(ROUTER)
                .layer("actions").definedBy(ACTIONS)
                .layer("memory").definedBy(MEMORY)
                .layer("identity").definedBy(IDENTITY)
                .layer("telemetry").definedBy(TELEMETRY)
                .layer("store").definedBy(STORE)
                .layer("config").definedBy(CONFIG)
                .layer("support").definedBy(SUPPORT)
                .whereLayer("app").mayNotBeAccessedByAnyLayer()
                .whereLayer("bench").mayOnlyBeAccessedByLayers("app")
                .whereLayer("server").mayOnlyBeAccessedByLayers("app")
                .whereLayer("schedule").mayOnlyBeAccessedByLayers("app", "server")
                .whereLayer("learning").mayOnlyBeAccessedByLayers("app", "server")
                .whereLayer("rollout").mayOnlyBeAccessedByLayers("app", "server")
                .whereLayer("research").mayOnlyBeAccessedByLayers("app", "server")
                .whereLayer("code").mayOnlyBeAccessedByLayers("app", "server")
                .whereLayer("cluster").mayOnlyBeAccessedByLayers("app", "server")
                .whereLayer("agent").mayOnlyBeAccessedByLayers(
                        "app", "bench", "server", "schedule", "learning", "rollout", "research", "code", "cluster")
                .whereLayer("skills").mayOnlyBeAccessedByLayers(
                        "app", "server", "schedule", "learning", "rollout", "research", "code", "agent")
                .whereLayer("integrations").mayOnlyBeAccessedByLayers(
                        "app", "server", "schedule", "learning", "rollout", "research", "code", "agent")
                .whereLayer("router").mayOnlyBeAccessedByLayers(
                        "app", "bench", "server", "schedule", "learning", "rollout", "research", "code", "cluster", "agent", "skills",
                        "integrations")
                .whereLayer("actions").mayOnlyBeAccessedByLayers(
                        "app", "server", "schedule", "learning", "rollout", "research", "code", "agent", "skills",
                        "integrations")
                .whereLayer("memory").mayOnlyBeAccessedByLayers(
                        "app", "bench", "server", "schedule", "learning", "rollout", "research", "code", "cluster", "agent", "skills",
                        "integrations")
                .whereLayer("identity").mayOnlyBeAccessedByLayers(
                        "app", "server", "schedule", "learning", "rollout", "research", "code", "agent", "skills", "integrations",
                        "router", "actions", "memory")
                .whereLayer("telemetry").mayOnlyBeAccessedByLayers(
                        "app", "bench", "server", "schedule", "learning", "rollout", "research", "code", "agent", "skills", "integrations",
                        "router", "actions", "memory", "identity")
                .whereLayer("store").mayOnlyBeAccessedByLayers(
                        "app", "bench", "server", "schedule", "learning", "rollout", "research", "code", "cluster", "agent", "skills", "integrations",
                        "router", "actions", "memory", "identity", "telemetry")
                .whereLayer("config").mayOnlyBeAccessedByLayers(
                        "app", "bench", "server", "schedule", "learning", "rollout", "research", "code", "cluster", "agent", "skills", "integrations",
                        "router", "actions", "memory", "identity", "telemetry", "store")
                .whereLayer("support").mayOnlyBeAccessedByLayers(
                        "app", "bench", "server", "schedule", "learning", "rollout", "research", "code", "cluster", "agent", "skills", "integrations",
                        "router", "actions", "memory", "identity", "telemetry", "store", "config");
    }

    // The rules below say again, each in its own words, what the layers say; a failure names the broken promise.

    @ArchTest
    static final ArchRule nothingDependsOnApp = noClasses()
            .that().resideOutsideOfPackage(APP)
            .should().dependOnClassesThat().resideInAPackage(APP)
            .because("app wires the parts together; no part knows it");

    @ArchTest
    static final ArchRule onlyAppRunsTheBenchmarks = noClasses()
            .that().resideOutsideOfPackages(APP, BENCH)
            .should().dependOnClassesThat().resideInAPackage(BENCH)
            .because("evaluation and training code stays out of the production parts");

    @ArchTest
    static final ArchRule workOnItsOwnSitsAboveTheAgent = noClasses()
            .that().resideInAnyPackage(AGENT, SKILLS, INTEGRATIONS, ROUTER, ACTIONS, MEMORY)
            .should().dependOnClassesThat().resideInAnyPackage(SCHEDULE, LEARNING, ROLLOUT, RESEARCH, CODE, CLUSTER, SERVER)
            .because("schedules, learning and rollouts drive the agent; the agent does not know who drives it");

    @ArchTest
    static final ArchRule theGateDoesNotKnowWhatGoesThroughIt = noClasses()
            .that().resideInAPackage(ACTIONS)
            .should().dependOnClassesThat().resideInAnyPackage(SKILLS, INTEGRATIONS)
            .because("skills and integrations are tools: they go through the gate, never around it");

    @ArchTest
    static final ArchRule routerActionsAndMemoryDoNotKnowTheAgent = noClasses()
            .that().resideInAnyPackage(ROUTER, ACTIONS, MEMORY)
            .should().dependOnClassesThat().resideInAnyPackage(AGENT, APP, SERVER)
            .because("the agent is a client of the router, the tools and memory, never the other way round");

    @ArchTest
    static final ArchRule storeKnowsNoPartAboveIt = noClasses()
            .that().resideInAPackage(STORE)
            .should().dependOnClassesThat().resideInAnyPackage(without(STORE, CONFIG, SUPPORT))
            .because("the store holds rows and migrations; the parts above own what the rows mean");

    @ArchTest
    static final ArchRule configKnowsOnlySupport = noClasses()
            .that().resideInAPackage(CONFIG)
            .should().dependOnClassesThat().resideInAnyPackage(without(CONFIG, SUPPORT))
            .because("configuration is read before any part exists");

    @ArchTest
    static final ArchRule supportKnowsNoPart = noClasses()
            .that().resideInAPackage(SUPPORT)
            .should().dependOnClassesThat().resideInAnyPackage(without(SUPPORT))
            .because("support is the floor every part stands on");

    @ArchTest
    static final ArchRule noPackageCycles = slices()
            .matching("dev.steward.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule everyClassBelongsToAPart = classes()
            .should().resideInAnyPackage(ALL)
            .because("a package outside the parts would escape the rules above; give it a layer in this test");

    private static String[] without(String... parts) {
        List<String> left = new ArrayList<>(List.of(ALL));
        left.removeAll(List.of(parts));
        return left.toArray(String[]::new);
    }
}
