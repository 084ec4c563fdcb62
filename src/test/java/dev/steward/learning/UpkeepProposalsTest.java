package dev.steward.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.AliasFile;
import dev.steward.config.ConfigLoader;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.LearningConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.memory.Embedder;
import dev.steward.memory.Memory;
import dev.steward.memory.MemoryIndex;
import dev.steward.memory.MemoryUpkeep;
import dev.steward.memory.PatternFactExtractor;
import dev.steward.memory.Ranking;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.Locality;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Route;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.store.Database;
import dev.steward.support.MovableClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration and memory upkeep proposals over a real database, a real router whose local model keeps timing out,
 * real memory (facts, search index, upkeep journal) and the real configuration history: proposed from the history,
 * not proposed without it, applied on approval and undone by a rollback.
 */
class UpkeepProposalsTest {
    private static final String YAML = """
            # mine
            routing:
              mode: auto
              local_timeout_seconds: 120   # my laptop is slow
            """;

    @TempDir
    Path home;

    private final MovableClock clock = new MovableClock(Instant.now());
    private Database database;
    private ModelCallLog log;
    private Router router;
    private MemoryIndex index;
    private Memory memory;
    private Learning learning;

    @BeforeEach
    void open() throws IOException {
        Files.writeString(home.resolve("steward.yaml"), YAML);
        database = Database.open(home, DatabaseConfig.embedded());
        log = new ModelCallLog(database);
        ScriptedModel slow = new ScriptedModel("llama3.1", "ollama")
                .thenFail("ollama: no response from http://127.0.0.1:11434 within 120 s").repeatingLast();
        ScriptedModel down = new ScriptedModel("qwen", "ollama").thenFail("ollama: could not connect to"
                + " http://127.0.0.1:11435 within 10 s — is the server running and reachable?").repeatingLast();
        ScriptedModel good = new ScriptedModel("good", "test").echoingWhenSpent();
        List<Route> routes = List.of(new Route("ollama", "llama3.1", Locality.LOCAL, "local", 0, 0, 8_000, slow),
                new Route("ollama", "qwen", Locality.LOCAL, "local", 0, 0, 8_000, down),
                new Route("test", "good", Locality.CLOUD, "cloud", 1, 2, 100_000, good));
        router = new Router(new RoutingConfig(RoutingMode.AUTO, null, null, 0, null, null, null), () -> routes, log,
                null, null, Clock.systemUTC());
        index = new MemoryIndex(home.resolve("index"), Embedder.hashing(64), Ranking.defaults(), clock);
        memory = new Memory(database, index, new PatternFactExtractor(), clock);
        learning = new Learning(database, router, home, LearningConfig.defaults(), Map::of, (alias, model) -> { },
                new Learning.Levers(this::routing, (key, value) -> AliasFile.setRouting(home.resolve("steward.yaml"),
                        key, value), () -> new MemoryUpkeep(database, memory, clock)), clock);
    }

    @AfterEach
    void close() {
        learning.close();
        router.close();
        index.close();
        database.close();
    }

    /** The routing settings as steward.yaml says now, loaded the way Steward loads them. */
    private RoutingConfig routing() {
        return new ConfigLoader(Map.of("STEWARD_HOME", home.toString())).load().routing();
    }

    @Test
    void aLocalModelThatKeepsTimingOutYieldsALongerTimeoutThatApprovalWritesAndRollbackRestores() {
        for (int i = 0; i < 5; i++) {
            ask("ollama/llama3.1", "summarise chapter " + i);
        }
        log.flush();

        Findings found = learning.analyze();

        Proposal proposal = found.proposed().stream().filter(p -> p.kind() == Proposal.Kind.CONFIGURATION)
                .findFirst().orElseThrow();
        assertThat(proposal.change()).isEqualTo(new Change.SetRouting("local_timeout_seconds", "120", "240"));
        assertThat(proposal.title()).isEqualTo("Give local models 240 s to answer: 5 of 5 calls timed out at 120 s"
                + " (ollama/llama3.1)");
        assertThat(proposal.evidence().path("timeouts").asInt()).isEqualTo(5);
        assertThat(proposal.evidence().path("examples").get(0).asText()).contains("no response from");
        assertThat(proposal.evaluation().verdict()).isEqualTo("not evaluated");
        assertThat(proposal.evaluation().note()).contains("120 s");
        assertThat(learning.analyze().proposed()).as("analysing again proposes nothing new").isEmpty();

        learning.approve(proposal.id(), "local");

        assertThat(read()).isEqualTo(YAML.replace("local_timeout_seconds: 120   # my laptop is slow",
                "local_timeout_seconds: 240  # my laptop is slow"));
        assertThat(routing().localTimeoutSeconds()).isEqualTo(240);
        assertThat(learning.history(5).getFirst().message()).isEqualTo("Proposal " + proposal.id() + ": "
                + proposal.title());

        Proposal undone = learning.rollback(proposal.id(), "local");

        assertThat(undone.status()).isEqualTo(Proposal.Status.ROLLED_BACK);
        assertThat(read()).isEqualTo(YAML);
        assertThat(learning.history(5).getFirst().message()).startsWith("Roll back proposal " + proposal.id());
    }

    @Test
    void fewTimeoutsOrServersThatCannotBeReachedProposeNoLongerTimeout() {
        for (int i = 0; i < 4; i++) {
            ask("ollama/llama3.1", "summarise chapter " + i);
        }
        for (int i = 0; i < 3; i++) {
            ask("ollama/qwen", "translate page " + i);
        }
        log.flush();

        assertThat(learning.analyze().proposed()).noneMatch(p -> p.kind() == Proposal.Kind.CONFIGURATION);
        assertThat(Analysis.errorClass("ollama: no response from http://x within 120 s")).isEqualTo("timeout");
        assertThat(Analysis.errorClass("ollama: could not connect to http://x within 10 s")).isEqualTo("unreachable");
    }

    @Test
    void factsNobodyConfirmedForMonthsYieldAnUpkeepRunThatApprovalAppliesAndRollbackUndoes() {
        for (String said : List.of("my dentist is Dr Quill", "my bank is Nordbank", "my gym is Fitbox",
                "my car is a Volvo", "my cat is Miso")) {
            memory.remember("local", "remember that " + said, Memory.SOURCE_MESSAGE, null);
        }
        assertThat(currentFacts()).isEqualTo(5);
        clock.advance(Duration.ofDays(200));

        Proposal proposal = learning.analyze().proposed().stream().filter(p -> p.kind() == Proposal.Kind.MEMORY)
                .findFirst().orElseThrow();

        assertThat(proposal.change()).isEqualTo(new Change.RunMemoryUpkeep("local", 120, Map.of("stale", 5), null));
        assertThat(proposal.title()).isEqualTo("Tidy the memory of local: 5 stale (steward memory upkeep --apply)");
        assertThat(proposal.evidence().path("findings")).hasSize(5);
        assertThat(currentFacts()).as("proposing is a dry run").isEqualTo(5);
        assertThat(learning.analyze().proposed()).as("analysing again proposes nothing new").isEmpty();

        Proposal applied = learning.approve(proposal.id(), "local");

        assertThat(currentFacts()).isZero();
        String run = ((Change.RunMemoryUpkeep) applied.change()).runId();
        assertThat(run).isNotBlank();
        assertThat(learning.show(proposal.id()).change()).as("the run id is stored with the proposal")
                .isEqualTo(applied.change());
        assertThat(learning.history(5).getFirst().message()).startsWith("Proposal " + proposal.id())
                .endsWith("Memory upkeep run " + run);

        Proposal undone = learning.rollback(proposal.id(), "local");

        assertThat(undone.status()).isEqualTo(Proposal.Status.ROLLED_BACK);
        assertThat(currentFacts()).isEqualTo(5);
        assertThat(learning.history(5).getFirst().message()).startsWith("Roll back proposal " + proposal.id())
                .contains("run " + run + " undone: 5 put back");
    }

    @Test
    void weeksOfOldExchangesAloneYieldAnUpkeepProposalCountedInWeeks() {
        for (int week = 0; week < 5; week++) {
            memory.learn("local", "how long is the drive to the coast " + week, "About two hours.", null, false);
            clock.advance(Duration.ofHours(1));
            memory.learn("local", "which road is quicker " + week, "The A7 usually is.", null, false);
            clock.advance(Duration.ofDays(7));
        }
        assertThat(currentFacts()).as("exchanges only, no facts").isZero();
        clock.advance(Duration.ofDays(120));

        Proposal proposal = learning.analyze().proposed().stream().filter(p -> p.kind() == Proposal.Kind.MEMORY)
                .findFirst().orElseThrow();

        assertThat(proposal.title()).startsWith("Tidy the memory of local: ").contains(" weeks of old episodes")
                .doesNotContain("old episodes,");
    }

    @Test
    void aTidyMemoryOrAFewStaleFactsProposeNoUpkeep() {
        memory.remember("local", "remember that my dentist is Dr Quill", Memory.SOURCE_MESSAGE, null);
        clock.advance(Duration.ofDays(200));
        memory.remember("local", "remember that my bank is Nordbank", Memory.SOURCE_MESSAGE, null);

        assertThat(learning.analyze().proposed()).noneMatch(p -> p.kind() == Proposal.Kind.MEMORY);
    }

    private int currentFacts() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM facts WHERE valid_to IS NULL")
                .mapTo(Integer.class).one());
    }

    private void ask(String model, String question) {
        try {
            router.chat(new ChatRequest(List.of(ChatMessage.user(question)), null, model, null, null, false),
                    new CallContext("local", null));
        } catch (RuntimeException expected) {
            // the slow model fails: that is the history being built
        }
    }

    private String read() {
        try {
            return Files.readString(home.resolve("steward.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Time the test moves on, so that facts grow stale. */
}
