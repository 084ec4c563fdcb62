package dev.steward;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The parts of ARCHITECTURE.md and which way they lean: dependencies point down only.
 *
 * <pre>
 *  app
 *   │
 *  agent
 *   │
 *   ├── router
 *   ├── actions      (side by side: none of them knows another; agent and app combine them)
 *   └── memory
 *   │
 *  store
 *   │
 *  config
 *   │
 *  support           (used by every part)
 * </pre>
 *
 * A higher part may use any part below it, not only the next one (app wires everything together). If a new
 * top-level package appears, give it a place here: {@link #everyClassBelongsToAPart} fails until it has one.
 */
@AnalyzeClasses(packages = "dev.steward", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    static final String APP = "dev.steward.app..";
    static final String AGENT = "dev.steward.agent..";
    static final String ROUTER = "dev.steward.router..";
    static final String ACTIONS = "dev.steward.actions..";
    static final String MEMORY = "dev.steward.memory..";
    static final String STORE = "dev.steward.store..";
    static final String CONFIG = "dev.steward.config..";
    static final String SUPPORT = "dev.steward.support..";

    @ArchTest
    static final ArchRule dependenciesPointDownOnly = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            // memory has no classes yet; a layer with none is not an error.
            .withOptionalLayers(true)
            .layer("app").definedBy(APP)
            .layer("agent").definedBy(AGENT)
            .layer("router").definedBy(ROUTER)
            .layer("actions").definedBy(ACTIONS)
            .layer("memory").definedBy(MEMORY)
            .layer("store").definedBy(STORE)
            .layer("config").definedBy(CONFIG)
            .layer("support").definedBy(SUPPORT)
            .whereLayer("app").mayNotBeAccessedByAnyLayer()
            .whereLayer("agent").mayOnlyBeAccessedByLayers("app")
            .whereLayer("router").mayOnlyBeAccessedByLayers("app", "agent")
            .whereLayer("actions").mayOnlyBeAccessedByLayers("app", "agent")
            .whereLayer("memory").mayOnlyBeAccessedByLayers("app", "agent")
            .whereLayer("store").mayOnlyBeAccessedByLayers("app", "agent", "router", "actions", "memory")
            .whereLayer("config").mayOnlyBeAccessedByLayers("app", "agent", "router", "actions", "memory", "store")
            .whereLayer("support").mayOnlyBeAccessedByLayers(
                    "app", "agent", "router", "actions", "memory", "store", "config")
            .because("ARCHITECTURE.md: arrows point down only, and app is the only place that wires things together");

    // The rules below say again, each in its own words, what the layers say; a failure names the broken promise.

    @ArchTest
    static final ArchRule nothingDependsOnApp = noClasses()
            .that().resideOutsideOfPackage(APP)
            .should().dependOnClassesThat().resideInAPackage(APP)
            .because("app wires the parts together; no part knows it");

    @ArchTest
    static final ArchRule routerActionsAndMemoryDoNotKnowTheAgent = noClasses()
            .that().resideInAnyPackage(ROUTER, ACTIONS, MEMORY)
            .should().dependOnClassesThat().resideInAnyPackage(AGENT, APP)
            .because("the agent is a client of the router, the tools and memory, never the other way round");

    @ArchTest
    static final ArchRule storeKnowsNoPartAboveIt = noClasses()
            .that().resideInAPackage(STORE)
            .should().dependOnClassesThat().resideInAnyPackage(ROUTER, ACTIONS, MEMORY, AGENT, APP)
            .because("the store holds rows and migrations; the parts above own what the rows mean");

    @ArchTest
    static final ArchRule configKnowsOnlySupport = noClasses()
            .that().resideInAPackage(CONFIG)
            .should().dependOnClassesThat().resideInAnyPackage(STORE, ROUTER, ACTIONS, MEMORY, AGENT, APP);

    @ArchTest
    static final ArchRule supportKnowsNoPart = noClasses()
            .that().resideInAPackage(SUPPORT)
            .should().dependOnClassesThat().resideInAnyPackage(CONFIG, STORE, ROUTER, ACTIONS, MEMORY, AGENT, APP);

    @ArchTest
    static final ArchRule noPackageCycles = slices()
            .matching("dev.steward.(**)")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule everyClassBelongsToAPart = classes()
            .should().resideInAnyPackage(APP, AGENT, ROUTER, ACTIONS, MEMORY, STORE, CONFIG, SUPPORT)
            .because("a package outside the parts would escape the rules above; give it a layer in this test");
}
