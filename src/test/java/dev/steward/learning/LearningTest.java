package dev.steward.learning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.agent.Intent;
import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.LearningConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.Locality;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Route;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning loop over a real database, a real router with scripted models ({@code test/broken} fails every call,
 * {@code test/good} answers) and a real configuration history in the home folder.
 */
class LearningTest {
    @TempDir
    Path home;

    private final ScriptedModel broken = new ScriptedModel("broken", "test").thenFail("HTTP 503: overloaded").repeatingLast();
    private final ScriptedModel good = new ScriptedModel("good", "test").echoingWhenSpent();
    private Database database;
    private ModelCallLog log;
    private Router router;
    private TaskStore tasks;
    private Learning learning;
    private final AtomicInteger aliasWrites = new AtomicInteger();

    @BeforeEach
    void open() throws IOException {
        Files.writeString(home.resolve("steward.yaml"), """
                # my settings
                routing:
                  aliases:
                    assistant: test/broken
                """);
        database = Database.open(home, DatabaseConfig.embedded());
        log = new ModelCallLog(database);
        List<Route> routes = List.of(new Route("test", "broken", Locality.CLOUD, "cloud", 1, 2, 100_000, broken),
                new Route("test", "good", Locality.CLOUD, "cloud", 1, 2, 100_000, good));
        router = new Router(new RoutingConfig(RoutingMode.AUTO, null, null, 0, null, null, null), () -> routes, log,
                null, null, Clock.systemUTC());
        tasks = new TaskStore(database);
        learning = new Learning(database, router, home, LearningConfig.defaults(), this::aliases, this::pointAlias,
                Clock.systemUTC());
    }

    @AfterEach
    void close() {
        learning.close();
        router.close();
        database.close();
    }

    /** The alias as steward.yaml says now, the way the application reads it. */
    private Map<String, String> aliases() {
        String text = read("steward.yaml");
        return Map.of("assistant", text.substring(text.indexOf("assistant: ") + 11).strip());
    }

    private void pointAlias(String alias, String model) {
        aliasWrites.incrementAndGet();
        String text = read("steward.yaml");
        write("steward.yaml", text.replaceAll(alias + ": \\S+", alias + ": " + model));
    }

    @Test
    void sixFailingRequestsBehindAnAliasYieldARoutingProposalThatApprovalAppliesAndRollbackUndoes() {
        for (int i = 0; i < 6; i++) {
            askThrough("test/broken", "what is the capital of France, question " + i);
        }
        log.flush();

        Findings found = learning.analyze();

        assertThat(found.proposed()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Proposal.Kind.ROUTING);
            assertThat(p.status()).isEqualTo(Proposal.Status.PENDING);
            assertThat(p.change()).isEqualTo(new Change.PointAlias("assistant", "test/broken", "test/good"));
            assertThat(p.title()).contains("6 of 6 calls to test/broken failed (server_error)");
            assertThat(p.evaluation().targetBefore().successes()).isZero();
            assertThat(p.evaluation().targetAfter().requests()).isEqualTo(6);
            assertThat(p.evaluation().targetAfter().successes()).isEqualTo(6);
            assertThat(p.evaluation().improves()).isTrue();
        });
        assertThat(good.calls()).as("the evaluation replayed the six requests on the candidate").isEqualTo(6);
        assertThat(learning.analyze().proposed()).as("analysing again proposes nothing new").isEmpty();

        Proposal proposal = found.proposed().getFirst();
        Proposal applied = learning.approve(proposal.id(), "local");

        assertThat(applied.status()).isEqualTo(Proposal.Status.APPLIED);
        assertThat(read("steward.yaml")).contains("assistant: test/good").startsWith("# my settings");
        assertThat(learning.history(10)).first().satisfies(v ->
                assertThat(v.message()).isEqualTo("Proposal " + proposal.id() + ": " + proposal.title()));

        Proposal undone = learning.rollback(proposal.id(), "local");

        assertThat(undone.status()).isEqualTo(Proposal.Status.ROLLED_BACK);
        assertThat(read("steward.yaml")).contains("assistant: test/broken").startsWith("# my settings");
        assertThat(learning.history(10).getFirst().message()).startsWith("Roll back proposal " + proposal.id());
        assertThatThrownBy(() -> learning.rollback(proposal.id(), "local"))
                .isInstanceOf(LearningException.class).hasMessageContaining("it is rolled_back");
    }

    @Test
    void twoRatingsAskingForShortBulletedSummariesBecomeAPreferenceForSummariesOnly() {
        String first = finishedTask("summarise this quarterly report for me");
        String second = finishedTask("give me a summary of the meeting notes");
        learning.rate(first, "local", Rating.DOWN, "too long — use bullet points");
        learning.rate(second, "local", Rating.DOWN, "Too long, bullet points please");

        Proposal proposal = learning.analyze().proposed().getFirst();

        assertThat(proposal.kind()).isEqualTo(Proposal.Kind.PREFERENCE);
        assertThat(proposal.change()).isEqualTo(new Change.AddPreference("local", "summary",
                List.of("Keep the answer short.", "Use bullet points.")));
        assertThat(proposal.evaluation().targetAfter().requests()).as("the rated requests were replayed").isEqualTo(2);
        assertThat(learning.preferences().context("local", "summarize the board minutes")).isEmpty();

        learning.approve(proposal.id(), "local");

        assertThat(learning.preferences().context("local", "summarize the board minutes"))
                .contains("Use bullet points.").contains("Keep the answer short.");
        assertThat(learning.preferences().context("local", "translate this into French")).isEmpty();
        assertThat(learning.preferences().context("someone-else", "summarize the board minutes")).isEmpty();
    }

    @Test
    void aCorrectionTypedRightAfterAnAnswerCountsAsFeedbackOnIt() {
        String conversation = Ids.next();
        finishedTask("summarise the contract", conversation);
        finishedTask("shorter please", conversation);
        finishedTask("summarise the lease", conversation);
        finishedTask("make it shorter", conversation);

        Proposal proposal = learning.analyze().proposed().getFirst();

        assertThat(proposal.change()).isEqualTo(new Change.AddPreference("local", "summary",
                List.of("Keep the answer short.")));
    }

    @Test
    void threeRequestsForAMissingToolAreOneGapCountedThrice() {
        for (int i = 0; i < 3; i++) {
            String task = finishedTask("send the invoice to Bob, take " + i);
            database.jdbi().useHandle(h -> h.execute("INSERT INTO audit_log (seq, created_at, user_id, kind, tool, "
                    + "outcome, detail, task_id, prev_hash, hash) VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log), ?, "
                    + "'local', 'tool_call', 'email.send', 'unknown_tool', 'no such tool', ?, '', '')",
                    System.currentTimeMillis(), task));
        }

        assertThat(learning.gaps()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("email.send");
            assertThat(g.count()).isEqualTo(3);
            assertThat(g.examples()).hasSize(3);
            assertThat(g.suggestion()).contains("connections.email");
        });
    }

    @Test
    void approvingAfterAHandEditKeepsTheEditAndEvaluatesAgainFirst() {
        for (int i = 0; i < 5; i++) {
            askThrough("test/broken", "question " + i);
        }
        log.flush();
        Proposal proposal = learning.analyze().proposed().getFirst();
        int replaysBefore = good.calls();
        write("steward.yaml", read("steward.yaml") + "budgets:\n  on_exceeded: refuse\n");

        Proposal applied = learning.approve(proposal.id(), "local");

        assertThat(good.calls()).as("evaluated again against the edited configuration").isGreaterThan(replaysBefore);
        assertThat(applied.base()).isNotEqualTo(proposal.base());
        assertThat(read("steward.yaml")).contains("on_exceeded: refuse").contains("assistant: test/good");
        assertThat(learning.history(10)).extracting(ConfigRepository.Version::message)
                .contains("Edits made by hand");
    }

    @Test
    void aFailedApplyLeavesEveryFileAsItWas() {
        for (int i = 0; i < 5; i++) {
            askThrough("test/broken", "question " + i);
        }
        log.flush();
        Proposal proposal = learning.analyze().proposed().getFirst();
        String before = read("steward.yaml");
        Learning failing = new Learning(database, router, home, LearningConfig.defaults(), this::aliases,
                (alias, model) -> {
                    write("steward.yaml", "half written");
                    throw new IllegalStateException("disk full");
                }, Clock.systemUTC());

        assertThatThrownBy(() -> failing.approve(proposal.id(), "local"))
                .isInstanceOf(LearningException.class).hasMessageContaining("nothing was changed")
                .hasMessageContaining("disk full");
        failing.close();

        assertThat(read("steward.yaml")).isEqualTo(before);
        assertThat(learning.show(proposal.id()).status()).isEqualTo(Proposal.Status.PENDING);
    }

    @Test
    void aRollbackThatLaterChangesDependOnIsRefusedAndNamesThem() {
        for (int i = 0; i < 5; i++) {
            askThrough("test/broken", "question " + i);
        }
        log.flush();
        Proposal proposal = learning.analyze().proposed().getFirst();
        learning.approve(proposal.id(), "local");
        write("steward.yaml", read("steward.yaml").replace("assistant: test/good", "assistant: test/other"));

        assertThatThrownBy(() -> learning.rollback(proposal.id(), "local"))
                .isInstanceOf(LearningException.class).hasMessageContaining("Edits made by hand");
        assertThat(read("steward.yaml")).contains("assistant: test/other");
        assertThat(learning.show(proposal.id()).status()).isEqualTo(Proposal.Status.APPLIED);
    }

    @Test
    void onlyLowRiskKindsMayBeAppliedWithoutAPerson() {
        assertThatThrownBy(() -> new LearningConfig(null, null, null, List.of("routing")))
                .hasMessageContaining("\"routing\" cannot be applied without a person");
    }

    @Test
    void servesScheduleAnalysesAndTellsTheOwnerOfNewProposalsAndOfEveryHealthProblem() {
        for (int i = 0; i < 6; i++) {
            askThrough("test/broken", "what is the capital of Spain, question " + i);
        }
        log.flush();
        List<String> told = new java.util.ArrayList<>();
        SelfDiagnosis.Check tampered = new SelfDiagnosis.Check(SelfDiagnosis.Level.FAIL, "audit",
                "the audit log was tampered with: row 3", "restore it from a backup");
        LearningSchedule schedule = new LearningSchedule(learning, () -> List.of(
                new SelfDiagnosis.Check(SelfDiagnosis.Level.OK, "disk", "plenty", null), tampered),
                (kind, title, body) -> told.add(kind + " | " + title + " | " + body));

        LearningSchedule.Run first = schedule.runOnce();

        assertThat(first.proposed()).singleElement().satisfies(p -> assertThat(p.kind()).isEqualTo(Proposal.Kind.ROUTING));
        assertThat(first.problems()).containsExactly(tampered);
        assertThat(told).hasSize(2);
        assertThat(told.get(0)).startsWith("improvement | 1 new improvement proposal | " + first.proposed().getFirst().id()
                + "  routing  ").endsWith("nothing changes until you approve.");
        assertThat(told.get(1)).isEqualTo("health | Health check: 1 problem | FAIL  audit: the audit log was tampered"
                + " with: row 3 — fix: restore it from a backup");

        told.clear();
        assertThat(schedule.runOnce().proposed()).as("the same failures are not proposed twice").isEmpty();
        assertThat(told).singleElement().satisfies(t -> assertThat(t).startsWith("health | "));
    }

    private void askThrough(String model, String question) {
        String task = finishedTask(question);
        try {
            router.chat(new ChatRequest(List.of(ChatMessage.user(question)), null, model, null, null, false),
                    new CallContext("local", task));
        } catch (RuntimeException expected) {
            // the broken model fails: that is the history being built
        }
    }

    private String finishedTask(String input) {
        return finishedTask(input, null);
    }

    private String finishedTask(String input, String conversation) {
        String id = Ids.next();
        long now = System.currentTimeMillis();
        tasks.insert(new Task(id, "local", conversation, TaskStatus.DONE, Intent.QUESTION, input, "an answer", null,
                null, 0, 0, 0, now, now, now + 10));
        return id;
    }

    private String read(String name) {
        try {
            return Files.readString(home.resolve(name));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void write(String name, String text) {
        try {
            Files.writeString(home.resolve(name), text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
