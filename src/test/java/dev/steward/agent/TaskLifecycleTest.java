package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.Compensation;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolResult;
import dev.steward.actions.ToolSpec;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.AgentsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.ChatMessage;
import dev.steward.router.ModelCallLog;
import dev.steward.router.RamTempDir;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.store.Database;
import dev.steward.support.DataFence;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task as a durable state machine: planned, reviewed, waiting for a person, carried on by another process after a
 * restart, cancelled. A "process" here is a runner with its own agent, gate and model over the same database.
 */
class TaskLifecycleTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    TaskStore tasks;
    final List<String> invoicesSent = new CopyOnWriteArrayList<>();
    final List<String> undone = new CopyOnWriteArrayList<>();
    final List<String> reads = new CopyOnWriteArrayList<>();
    final List<TaskRunner> runners = new ArrayList<>();

    /** Stands for the process dying in the middle of a tool call: nothing after it is recorded. */
    static final class ProcessDied extends Error {
        ProcessDied() {
            super("the process died");
        }
    }

    @BeforeEach
    void setUp() {
        database = Database.open(home, DatabaseConfig.embedded());
        tasks = new TaskStore(database);
        database.jdbi().useHandle(h -> h.execute(
                "INSERT INTO users (id, name, role, created_at) VALUES ('ann', 'ann', 'standard', 0)"));
    }

    @AfterEach
    void tearDown() {
        runners.forEach(TaskRunner::close);
        database.close();
    }

    /** A process: its own model, gate and runner on the shared database; every message is a complex task. */
    TaskRunner process(ScriptedModel model, Intent intent, Tool... extra) {
        return process(model, intent, Duration.ofSeconds(30), extra);
    }

    TaskRunner process(ScriptedModel model, Intent intent, Duration lease, Tool... extra) {
        Router router = new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO);
        List<Tool> all = new ArrayList<>(List.of(sendInvoice(), readLedger(), writeLedger()));
        all.addAll(List.of(extra));
        Agent agent = new Agent(router, tasks, gate(all), null, AgentsConfig.defaults().withMaxSteps(6),
                (text, history, context) -> intent);
        TaskRunner runner = new TaskRunner(agent, tasks, lease, Duration.ofMillis(20));
        runners.add(runner);
        return runner;
    }

    ActionGate gate(List<Tool> all) {
        return new ActionGate(new Tools(all), ActionsConfig.defaults(), database, Clock.systemUTC());
    }

    Tool sendInvoice() {
        return tool("invoice.send", Risk.DANGEROUS, args -> {
            invoicesSent.add(args.path("to").asText());
            return ToolResult.ok(Json.object().put("sent", true));
        });
    }

    Tool readLedger() {
        return tool("ledger.read", Risk.READ, args -> {
            reads.add(args.path("month").asText());
            return ToolResult.ok(Json.object().put("total", 1200));
        });
    }

    Tool writeLedger() {
        return tool("ledger.write", Risk.WRITE, args -> ToolResult.ok(Json.object().put("written", true))
                .withUndo(new Compensation() {
                    @Override
                    public String description() {
                        return "removed the ledger line " + args.path("line").asText();
                    }

                    @Override
                    public void run() {
                        undone.add(args.path("line").asText());
                    }
                }));
    }

    static Tool tool(String name, Risk risk, java.util.function.Function<JsonNode, ToolResult> body) {
        ToolSpec spec = new ToolSpec(name, "The " + name + " tool, for tests", Json.parse(
                "{\"type\":\"object\",\"properties\":{\"to\":{\"type\":\"string\"},\"month\":{\"type\":\"string\"},"
                        + "\"line\":{\"type\":\"string\"}}}"), risk);
        return Tool.of(spec, (arguments, context) -> body.apply(arguments));
    }

    List<TaskEvent> events(Task task, TaskEvent.Kind type) {
        return tasks.events(task.id()).stream().filter(e -> e.type() == type).toList();
    }

    Task waitFor(String taskId, TaskStatus status) {
        await().atMost(WAIT).until(() -> tasks.find(taskId).orElseThrow().status() == status);
        return tasks.find(taskId).orElseThrow();
    }

    @Test
    void theSupervisorRejectsTheFirstResultAndAcceptsTheRevision() {
        ScriptedModel model = new ScriptedModel()
                .thenAnswer("{\"steps\": [{\"goal\": \"Draft the price list\", \"agent\": \"research\", "
                        + "\"tools\": [\"ledger.read\"], \"estimate_seconds\": 20}]}")
                .thenAnswer("Prices: coffee")
                .thenAnswer("{\"verdict\": \"revise\", \"feedback\": \"give each item a price\"}")
                .thenAnswer("Prices: coffee $3")
                .thenAnswer("{\"verdict\": \"pass\", \"feedback\": \"complete\"}");
        List<TaskEvent> live = new CopyOnWriteArrayList<>();

        Task task = process(model, Intent.COMPLEX_TASK).run(AskRequest.of("ann", "write our price list"),
                new TaskListener() {
                    @Override
                    public void onEvent(TaskEvent event) {
                        live.add(event);
                    }
                });

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(task.answer()).isEqualTo("Prices: coffee $3");
        assertThat(task.plan().path("steps").get(0).path("goal").asText()).isEqualTo("Draft the price list");
        assertThat(task.agent()).isEqualTo("research");
        List<TaskEvent> reviews = events(task, TaskEvent.Kind.REVIEW);
        assertThat(reviews).extracting(e -> e.data().path("verdict").asText()).containsExactly("revise", "pass");
        assertThat(reviews).extracting(e -> e.data().path("iteration").asInt()).containsExactly(1, 2);
        assertThat(reviews).extracting(e -> e.role().id()).containsOnly("supervisor");
        assertThat(reviews.get(0).message()).isEqualTo("Iteration 2/3: refining after review — give each item a price");
        assertThat(model.requests().get(3).messages()).last().extracting(ChatMessage::content).asString()
                .contains("give each item a price");
        assertThat(events(task, TaskEvent.Kind.PLAN)).singleElement().extracting(e -> e.role().id()).isEqualTo("manager");
        assertThat(events(task, TaskEvent.Kind.STEP)).singleElement().satisfies(step -> {
            assertThat(step.data().path("step").asInt()).isEqualTo(1);
            assertThat(step.data().path("of").asInt()).isEqualTo(1);
            assertThat(step.data().path("eta_seconds").asInt()).isEqualTo(20);
        });
        assertThat(events(task, TaskEvent.Kind.STATUS)).extracting(e -> e.data().path("to").asText())
                .containsExactly("running", "planning", "running", "reviewing", "running", "reviewing", "running",
                        "done");
        assertThat(live).extracting(TaskEvent::seq)
                .containsExactlyElementsOf(tasks.events(task.id()).stream().map(TaskEvent::seq).toList());
    }

    @Test
    void aTaskWaitingForApprovalSurvivesARestartAndFinishesOnceApproved() {
        ScriptedModel before = new ScriptedModel().thenCall("invoice.send", "{\"to\":\"acme\"}");
        TaskRunner first = process(before, Intent.SIMPLE_ACTION);
        Task waiting = first.run(AskRequest.of("ann", "send Acme their invoice"), TaskListener.NONE);
        assertThat(waiting.status()).isEqualTo(TaskStatus.WAITING_APPROVAL);
        assertThat(waiting.approvalId()).isNotNull();
        assertThat(events(waiting, TaskEvent.Kind.APPROVAL_NEEDED)).singleElement().satisfies(e -> {
            assertThat(e.data().path("approval_id").asText()).isEqualTo(waiting.approvalId());
            assertThat(e.data().path("what").asText()).contains("invoice.send", "to=acme");
        });
        first.close();

        ScriptedModel after = new ScriptedModel().thenAnswer("Sent the invoice to Acme.");
        TaskRunner second = process(after, Intent.SIMPLE_ACTION);
        second.resumeAll();
        assertThat(tasks.find(waiting.id()).orElseThrow().status()).as("nobody decided yet: it keeps waiting")
                .isEqualTo(TaskStatus.WAITING_APPROVAL);
        assertThat(invoicesSent).isEmpty();

        // Someone approves from the CLI, in a third process: its gate carries out the call.
        gate(List.of(sendInvoice())).approve(waiting.approvalId(), "ann", null);

        Task done = waitFor(waiting.id(), TaskStatus.DONE);
        assertThat(done.answer()).isEqualTo("Sent the invoice to Acme.");
        assertThat(invoicesSent).containsExactly("acme");
        assertThat(after.lastRequest().messages()).last().satisfies(m -> {
            assertThat(m.role()).isEqualTo(ChatMessage.Role.TOOL);
            assertThat(Json.parse(DataFence.unwrap(m.content())).path("sent").asBoolean()).isTrue();
        });
        assertThat(events(done, TaskEvent.Kind.TOOL_RESULT)).last().satisfies(e ->
                assertThat(e.data().path("approval_id").asText()).isEqualTo(waiting.approvalId()));
    }

    @Test
    void aRejectedApprovalTellsTheModelWhichCarriesOn() {
        ScriptedModel model = new ScriptedModel().thenCall("invoice.send", "{\"to\":\"acme\"}")
                .thenAnswer("I did not send it, as you asked.");
        TaskRunner runner = process(model, Intent.SIMPLE_ACTION);
        Task waiting = runner.run(AskRequest.of("ann", "send Acme their invoice"), TaskListener.NONE);
        gate(List.of(sendInvoice())).reject(waiting.approvalId(), "ann");

        Task done = runner.resume("ann", waiting.id(), TaskListener.NONE);

        assertThat(done.status()).isEqualTo(TaskStatus.DONE);
        assertThat(invoicesSent).isEmpty();
        assertThat(Json.parse(model.lastRequest().messages().getLast().content()).path("status").asText())
                .isEqualTo("rejected");
    }

    @Test
    void aClarificationIsAnsweredAfterARestart() {
        ScriptedModel before = new ScriptedModel().thenCall(Run.ASK_USER, "{\"question\":\"Which month?\"}");
        TaskRunner first = process(before, Intent.SIMPLE_ACTION);
        Task waiting = first.run(AskRequest.of("ann", "total the ledger"), TaskListener.NONE);
        assertThat(waiting.status()).isEqualTo(TaskStatus.WAITING_INPUT);
        assertThat(waiting.question()).isEqualTo("Which month?");
        assertThat(events(waiting, TaskEvent.Kind.QUESTION)).singleElement()
                .satisfies(e -> assertThat(e.data().path("question").asText()).isEqualTo("Which month?"));
        first.close();

        ScriptedModel after = new ScriptedModel().thenCall("ledger.read", "{\"month\":\"March\"}")
                .thenAnswer("March: 1200");
        TaskRunner second = process(after, Intent.SIMPLE_ACTION);
        second.resumeAll();
        assertThat(tasks.find(waiting.id()).orElseThrow().status()).isEqualTo(TaskStatus.WAITING_INPUT);
        assertThatThrownBy(() -> second.answer("bob", waiting.id(), "March")).isInstanceOf(IllegalArgumentException.class);

        Task done = second.answer("ann", waiting.id(), "March", TaskListener.NONE);

        assertThat(done.status()).isEqualTo(TaskStatus.DONE);
        assertThat(done.answer()).isEqualTo("March: 1200");
        assertThat(done.question()).isNull();
        assertThat(reads).containsExactly("March");
        ChatMessage answered = after.requests().getFirst().messages().getLast();
        assertThat(answered.role()).isEqualTo(ChatMessage.Role.TOOL);
        assertThat(Json.parse(answered.content()).path("answer").asText()).isEqualTo("March");
        assertThat(events(done, TaskEvent.Kind.ANSWER)).singleElement().extracting(TaskEvent::message).isEqualTo("Answer: March");
        assertThatThrownBy(() -> second.answer("ann", waiting.id(), "again"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not waiting for an answer");
    }

    @Test
    void cancellingMidStepStopsTheWorkAndUndoesWhatItCan() throws InterruptedException {
        ScriptedModel model = new ScriptedModel().thenCall("ledger.write", "{\"line\":\"rent\"}")
                .thenBlockUntilInterrupted();
        TaskRunner runner = process(model, Intent.SIMPLE_ACTION);
        Task task = runner.submit(AskRequest.of("ann", "book the rent"));
        assertThat(model.awaitBlocked(WAIT)).isTrue();

        assertThat(runner.cancel("ann", task.id())).isTrue();

        Task cancelled = waitFor(task.id(), TaskStatus.CANCELLED);
        assertThat(undone).containsExactly("rent");
        assertThat(events(cancelled, TaskEvent.Kind.CANCELLED)).singleElement().extracting(TaskEvent::message)
                .isEqualTo("Cancelled; undone: removed the ledger line rent");
        assertThat(runner.cancel("ann", task.id())).as("it has ended").isFalse();
    }

    @Test
    void cancellingATaskThatWaitsEndsItAndWithdrawsItsApproval() {
        ScriptedModel model = new ScriptedModel().thenCall("invoice.send", "{\"to\":\"acme\"}");
        TaskRunner runner = process(model, Intent.SIMPLE_ACTION);
        Task waiting = runner.run(AskRequest.of("ann", "send Acme their invoice"), TaskListener.NONE);

        assertThat(runner.cancel("ann", waiting.id())).isTrue();

        assertThat(tasks.find(waiting.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(gate(List.of()).approval(waiting.approvalId()).orElseThrow().status()).isEqualTo("rejected");
    }

    @Test
    void aReadThatWasInFlightWhenTheProcessDiedIsRetried() {
        CountDownLatch dying = new CountDownLatch(1);
        Tool crashing = tool("ledger.scan", Risk.READ, args -> {
            dying.countDown();
            throw new ProcessDied();
        });
        ScriptedModel before = new ScriptedModel().thenCall("ledger.scan", "{\"month\":\"May\"}");
        TaskRunner first = process(before, Intent.SIMPLE_ACTION, Duration.ofMillis(100), crashing);
        assertThatThrownBy(() -> first.run(AskRequest.of("ann", "scan May"), TaskListener.NONE))
                .isInstanceOf(ProcessDied.class);
        Task stranded = tasks.list(1, null).getFirst();
        assertThat(stranded.status()).isEqualTo(TaskStatus.RUNNING);

        List<String> scanned = new CopyOnWriteArrayList<>();
        Tool working = tool("ledger.scan", Risk.READ, args -> {
            scanned.add(args.path("month").asText());
            return ToolResult.ok(Json.object().put("lines", 3));
        });
        TaskRunner second = process(new ScriptedModel().thenAnswer("May has 3 lines."), Intent.SIMPLE_ACTION, working);
        second.resumeAll();

        Task done = waitFor(stranded.id(), TaskStatus.DONE);
        assertThat(done.answer()).isEqualTo("May has 3 lines.");
        assertThat(scanned).containsExactly("May");
        assertThat(events(done, TaskEvent.Kind.TOOL_CALL)).extracting(TaskEvent::message).containsExactly("Calling ledger.scan",
                "Calling ledger.scan again: it was in flight when the process stopped, and it only reads");
    }

    @Test
    void aWriteThatWasInFlightWhenTheProcessDiedFailsTheTaskWithTheReason() {
        Tool crashing = tool("ledger.post", Risk.WRITE, args -> {
            throw new ProcessDied();
        });
        ScriptedModel before = new ScriptedModel().thenCall("ledger.post", "{\"line\":\"rent\"}");
        TaskRunner first = process(before, Intent.SIMPLE_ACTION, Duration.ofMillis(100), crashing);
        assertThatThrownBy(() -> first.run(AskRequest.of("ann", "post the rent"), TaskListener.NONE))
                .isInstanceOf(ProcessDied.class);
        Task stranded = tasks.list(1, null).getFirst();

        TaskRunner second = process(new ScriptedModel(), Intent.SIMPLE_ACTION, crashing);
        second.resumeAll();

        Task failed = waitFor(stranded.id(), TaskStatus.FAILED);
        assertThat(failed.error()).isEqualTo("the process stopped while step 1 was running ledger.post (write); it "
                + "may or may not have happened, so it is not repeated: check its effect, then ask again");
    }

    @Test
    void aChatAnsweredWithoutToolsWritesItsTaskFourTimes() {
        // The task, its start, the model call (with the one-step plan), the end: nothing a restart would redo alike.
        List<String> writes = new CopyOnWriteArrayList<>();
        database.jdbi().setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                String sql = context.getRenderedSql().strip();
                if (sql.startsWith("INSERT INTO tasks") || sql.contains("checkpoint = :checkpoint")) {
                    writes.add(sql.substring(0, sql.indexOf(' ')));
                }
            }
        });

        Task done = process(new ScriptedModel().thenAnswer("Hello."), Intent.CONVERSATION)
                .run(AskRequest.of("ann", "hello"), TaskListener.NONE);

        assertThat(done.status()).isEqualTo(TaskStatus.DONE);
        assertThat(writes).containsExactly("INSERT", "UPDATE", "UPDATE", "UPDATE");
        assertThat(tasks.events(done.id())).extracting(e -> e.type().id())
                .containsExactly("started", "status", "model_call", "status", "done");
    }

    @Test
    void aProcessThatDiedBeforeItsFirstModelCallIsAnsweredOnceByTheNext() {
        ScriptedModel before = new ScriptedModel().thenPlay((request, out) -> {
            throw new ProcessDied();
        });
        TaskRunner first = process(before, Intent.SIMPLE_ACTION, Duration.ofMillis(100));
        assertThatThrownBy(() -> first.run(AskRequest.of("ann", "total June"), TaskListener.NONE))
                .isInstanceOf(ProcessDied.class);
        Task stranded = tasks.list(1, null).getFirst();
        assertThat(stranded.status()).isEqualTo(TaskStatus.RUNNING);

        ScriptedModel after = new ScriptedModel().thenAnswer("June: 1200");
        process(after, Intent.SIMPLE_ACTION).resumeAll();

        Task done = waitFor(stranded.id(), TaskStatus.DONE);
        assertThat(done.answer()).isEqualTo("June: 1200");
        assertThat(after.requests()).as("the model call made again").hasSize(1);
        assertThat(events(done, TaskEvent.Kind.STARTED)).hasSize(1);
        assertThat(events(done, TaskEvent.Kind.MODEL_CALL)).hasSize(1);
    }

    @Test
    void aTaskCutOffByAShutdownIsCarriedOnByTheNextProcess() throws InterruptedException {
        ScriptedModel before = new ScriptedModel().thenCall("ledger.read", "{\"month\":\"June\"}")
                .thenBlockUntilInterrupted();
        TaskRunner first = process(before, Intent.SIMPLE_ACTION);
        Task task = first.submit(AskRequest.of("ann", "total June"));
        assertThat(before.awaitBlocked(WAIT)).isTrue();
        first.close();
        assertThat(tasks.find(task.id()).orElseThrow().status()).as("a shutdown is not a cancellation")
                .isEqualTo(TaskStatus.RUNNING);

        ScriptedModel after = new ScriptedModel().thenAnswer("June: 1200");
        process(after, Intent.SIMPLE_ACTION).resumeAll();

        Task done = waitFor(task.id(), TaskStatus.DONE);
        assertThat(done.answer()).isEqualTo("June: 1200");
        assertThat(reads).containsExactly("June");
        assertThat(after.requests().getFirst().messages()).anySatisfy(m ->
                assertThat(m.role()).isEqualTo(ChatMessage.Role.TOOL));
    }

    @Test
    void aRunawayLoopIsStoppedWithTheReason() {
        ScriptedModel model = new ScriptedModel().thenCall("ledger.read", "{\"month\":\"July\"}").repeatingLast();

        Task task = process(model, Intent.SIMPLE_ACTION).run(AskRequest.of("ann", "total July"), TaskListener.NONE);

        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.error()).startsWith("loop detected: ledger.read was called 3 times with the same arguments");
        assertThat(events(task, TaskEvent.Kind.FAILED)).singleElement().extracting(TaskEvent::message).asString()
                .startsWith("Failed: loop detected");
    }

    @Test
    void aModelCallThatOutlastsTheTimeLimitIsStopped() {
        ScriptedModel model = new ScriptedModel().thenBlockUntilInterrupted();
        Router router = new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO);
        Agent agent = new Agent(router, tasks, gate(List.of()), null, AgentsConfig.defaults().withTimeLimitSeconds(1),
                (text, history, context) -> Intent.SIMPLE_ACTION);

        Task task = agent.ask(AskRequest.of("ann", "think hard"), TaskListener.NONE);

        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.error()).startsWith("time limit: worked 1 s, more than the 1 s allowed");
    }

    @Test
    void aTaskOverItsTimeLimitFails() {
        ScriptedModel model = new ScriptedModel().thenCall("ledger.read", "{\"month\":\"May\"}").thenAnswer("late");
        Router router = new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO);
        Tool slowRead = tool("ledger.read", Risk.READ, args -> {
            try {
                TimeUnit.MILLISECONDS.sleep(1_100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ToolResult.ok(Json.object());
        });
        Agent agent = new Agent(router, tasks, gate(List.of(slowRead)), null,
                AgentsConfig.defaults().withTimeLimitSeconds(1), (text, history, context) -> Intent.SIMPLE_ACTION);

        Task task = agent.ask(AskRequest.of("ann", "total May"), TaskListener.NONE);

        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.error()).startsWith("time limit: worked 1 s, more than the 1 s allowed");
    }
}
