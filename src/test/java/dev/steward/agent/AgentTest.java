package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolResult;
import dev.steward.actions.ToolSpec;
import dev.steward.actions.ActionGate;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.AgentsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelCallRows;
import dev.steward.router.RamTempDir;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.router.ToolCall;
import dev.steward.router.ToolDefinition;
import dev.steward.router.Usage;
import dev.steward.store.Database;
import dev.steward.support.DataFence;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simple model ⇄ tools loop, driven by a scripted model through the real router and a real database. */
class AgentTest {
    static final int MAX_STEPS = 4;

    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    TaskStore tasks;
    ScriptedModel model;
    Router router;
    RecordingListener listener;

    /** Arguments and context of each call of the echo tool. */
    final List<JsonNode> echoed = new CopyOnWriteArrayList<>();
    final List<ToolContext> echoContexts = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void setUp() {
        database = Database.open(home, DatabaseConfig.embedded());
        tasks = new TaskStore(database);
        model = new ScriptedModel();
        router = new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO);
        listener = new RecordingListener();
    }

    Agent agent(Tool... tools) {
        return new Agent(router, tasks, new ActionGate(new Tools(List.of(tools)), ActionsConfig.defaults(), database,
                java.time.Clock.systemUTC()), null, AgentsConfig.defaults().withMaxSteps(MAX_STEPS),
                (text, history, context) -> Intent.SIMPLE_ACTION);
    }

    Tool echo() {
        return tool("echo", (arguments, context) -> {
            echoed.add(arguments);
            echoContexts.add(context);
            return ToolResult.ok(Json.object().put("echoed", arguments.path("text").asText()));
        });
    }

    static Tool tool(String name, BiFunction<JsonNode, ToolContext, ToolResult> body) {
        ToolSpec spec = new ToolSpec(name, "The " + name + " tool, for tests",
                Json.parse("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}"), Risk.READ);
        return Tool.of(spec, body);
    }

    Task ask(Agent agent, String input) {
        return agent.ask(AskRequest.of("local", input), listener);
    }

    /** The events but the status transitions, which TaskLifecycleTest follows. */
    List<String> eventTypes(Task task) {
        return tasks.events(task.id()).stream().filter(e -> e.type() != TaskEvent.Kind.STATUS).map(e -> e.type().id()).toList();
    }

    @Test
    void answersAndStoresTheTask() {
        model.thenAnswer("Paris is the capital of France.", new Usage(12, 4));
        long before = System.currentTimeMillis();

        Task task = ask(agent(echo()), "what is the capital of France?");

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(task.answer()).isEqualTo("Paris is the capital of France.");
        assertThat(task.error()).isNull();
        assertThat(task.userId()).isEqualTo("local");
        assertThat(task.input()).isEqualTo("what is the capital of France?");
        assertThat(task.intent()).as("these tests classify everything so").isEqualTo(Intent.SIMPLE_ACTION);
        assertThat(task.model()).isEqualTo("scripted");
        assertThat(task.tokensIn()).isEqualTo(12);
        assertThat(task.tokensOut()).isEqualTo(4);
        assertThat(task.createdAt()).isBetween(before, task.finishedAt());
        assertThat(task.durationMs()).isNotNegative();
        assertThat(tasks.find(task.id())).contains(task);
    }

    @Test
    void persistsStartedModelCallAndDoneEventsInOrder() {
        model.thenAnswer("Hi.", new Usage(12, 4));

        Task task = ask(agent(), "hello");

        List<TaskEvent> all = tasks.events(task.id());
        assertThat(all).extracting(e -> e.type().id()).containsExactly("started", "status", "model_call", "status", "done");
        assertThat(all).extracting(TaskEvent::seq).containsExactly(1, 2, 3, 4, 5);
        assertThat(all).extracting(TaskEvent::taskId).containsOnly(task.id());
        assertThat(all).extracting(TaskEvent::createdAt).isSorted();
        assertThat(all.get(1).data()).isEqualTo(Json.parse("{\"from\":\"queued\",\"to\":\"running\"}"));
        assertThat(all.get(3).data()).isEqualTo(Json.parse("{\"from\":\"running\",\"to\":\"done\"}"));
        List<TaskEvent> events = all.stream().filter(e -> e.type() != TaskEvent.Kind.STATUS).toList();
        assertThat(events.get(0).data().path("intent").asText()).isEqualTo("simple_action");
        assertThat(events.get(1).role()).isEqualTo(TaskEvent.AgentRole.EMPLOYEE);
        assertThat(events.get(1).data().path("model").asText()).isEqualTo("scripted");
        assertThat(events.get(1).data().path("provider").asText()).isEqualTo("test");
        assertThat(events.get(1).data().path("tokens_in").asLong()).isEqualTo(12);
        assertThat(events.get(1).data().path("tokens_out").asLong()).isEqualTo(4);
        assertThat(events.get(2).data().path("tokens_in").asLong()).isEqualTo(12);
        assertThat(events.get(2).data().path("tokens_out").asLong()).isEqualTo(4);
    }

    @Test
    void sendsTheSystemPromptTheHistoryTheMessageAndTheTools() {
        model.thenAnswer("Yes.");
        List<ChatMessage> history = List.of(ChatMessage.user("my name is Ann"), ChatMessage.assistant("Hello Ann."));

        agent(echo()).ask(new AskRequest("local", "do you know my name?", "conv1", history), listener);

        ChatRequest request = model.lastRequest();
        assertThat(request.messages()).containsExactly(ChatMessage.system(Agent.SYSTEM_PROMPT).asCacheable(), history.get(0),
                history.get(1), ChatMessage.user("do you know my name?"));
        assertThat(request.tools()).containsExactly(new ToolDefinition("echo", "The echo tool, for tests",
                echo().spec().inputSchema()), Run.ASK_USER_TOOL);
    }

    @Test
    void offersNoToolsWhenTheUserMayOnlyChat() {
        model.thenAnswer("Just talking.");

        agent(echo()).ask(new AskRequest("local", "echo hi", null, List.of(), null, false), listener);

        assertThat(model.lastRequest().tools()).isEmpty();
    }

    @Test
    void trimsTheHistoryToTheTokenBudgetOldestFirstNeverStartingWithAToolResult() {
        ToolCall call = new ToolCall("call_1", "echo", Json.object());
        List<ChatMessage> history = List.of(ChatMessage.user("a".repeat(400)), ChatMessage.assistant("", List.of(call)),
                ChatMessage.tool(call, "b".repeat(40)), ChatMessage.user("c".repeat(40)), ChatMessage.assistant("d"));

        assertThat(Agent.trimmed(history, 1000)).isEqualTo(history);
        assertThat(Agent.trimmed(history, 35)).as("the tool result would lead: it goes with its call")
                .containsExactly(history.get(3), history.get(4));
        assertThat(Agent.trimmed(history, 3)).isEmpty();
    }

    @Test
    void storesEveryTask() {
        model.thenAnswer("one").thenAnswer("two");
        Agent agent = agent();

        Task first = ask(agent, "first");
        Task second = agent.ask(new AskRequest("local", "second", "conv1", List.of()), listener);

        assertThat(tasks.list(10, null)).extracting(Task::id).containsExactlyInAnyOrder(first.id(), second.id());
        assertThat(tasks.find(second.id())).get().extracting(Task::conversationId).isEqualTo("conv1");
        assertThat(tasks.list(10, TaskStatus.DONE)).hasSize(2);
    }

    @Test
    void runsAToolAndSendsItsResultBackWithTheCallId() {
        model.thenCall("echo", "{\"text\":\"hi\"}").thenAnswer("The tool said hi.", new Usage(20, 6));

        Task task = ask(agent(echo()), "echo hi");

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(task.answer()).isEqualTo("The tool said hi.");
        assertThat(echoed).containsExactly(Json.parse("{\"text\":\"hi\"}"));
        assertThat(echoContexts).containsExactly(new ToolContext("local", task.id()));

        List<ChatMessage> sent = model.lastRequest().messages();
        assertThat(sent).hasSize(4);
        assertThat(sent.get(2).role()).isEqualTo(ChatMessage.Role.ASSISTANT);
        assertThat(sent.get(2).toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.id()).isEqualTo("call_1");
            assertThat(call.name()).isEqualTo("echo");
        });
        ChatMessage result = sent.get(3);
        assertThat(result.role()).isEqualTo(ChatMessage.Role.TOOL);
        assertThat(result.toolCallId()).isEqualTo("call_1");
        assertThat(result.name()).isEqualTo("echo");
        assertThat(DataFence.isFenced(result.content())).as("a tool's result is fenced as data").isTrue();
        assertThat(Json.parse(DataFence.unwrap(result.content()))).isEqualTo(Json.parse("{\"echoed\":\"hi\"}"));
    }

    @Test
    void persistsToolCallAndToolResultEventsAndSumsTokens() {
        model.thenCall("echo", "{\"text\":\"hi\"}").thenAnswer("ok", new Usage(20, 6));

        Task task = ask(agent(echo()), "echo hi");

        List<TaskEvent> events = tasks.events(task.id()).stream().filter(e -> e.type() != TaskEvent.Kind.STATUS).toList();
        assertThat(events).extracting(e -> e.type().id())
                .containsExactly("started", "model_call", "tool_call", "tool_result", "model_call", "done");
        TaskEvent call = events.get(2);
        assertThat(call.data().path("tool").asText()).isEqualTo("echo");
        assertThat(call.data().path("arguments")).isEqualTo(Json.parse("{\"text\":\"hi\"}"));
        assertThat(events.get(3).data().path("ok").asBoolean()).isTrue();

        assertThat(task.tokensIn()).isEqualTo(10 + 20);
        assertThat(task.tokensOut()).isEqualTo(5 + 6);
        assertThat(ModelCallRows.forTask(database, task.id())).hasSize(2)
                .allSatisfy(row -> assertThat(row.outcome()).isEqualTo("ok"));
    }

    @Test
    void runsSeveralToolCallsOfOneTurnInOrder() {
        model.thenCall(model.call("echo", "{\"text\":\"a\"}"), model.call("echo", "{\"text\":\"b\"}"))
                .thenAnswer("a and b");

        Task task = ask(agent(echo()), "echo a and b");

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(echoed).extracting(a -> a.path("text").asText()).containsExactly("a", "b");
        List<ChatMessage> sent = model.lastRequest().messages();
        assertThat(sent.subList(3, 5)).extracting(ChatMessage::role, ChatMessage::toolCallId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ChatMessage.Role.TOOL, "call_1"),
                        org.assertj.core.groups.Tuple.tuple(ChatMessage.Role.TOOL, "call_2"));
        assertThat(eventTypes(task)).containsExactly("started", "model_call", "tool_call", "tool_result",
                "tool_call", "tool_result", "model_call", "done");
    }

    @Test
    void tellsTheModelAboutAnUnknownTool() {
        model.thenCall("nope", "{}").thenAnswer("Sorry, I have no such tool.");

        Task task = ask(agent(echo()), "use nope");

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(task.answer()).isEqualTo("Sorry, I have no such tool.");
        ChatMessage result = model.lastRequest().messages().get(3);
        assertThat(result.role()).isEqualTo(ChatMessage.Role.TOOL);
        assertThat(result.toolCallId()).isEqualTo("call_1");
        assertThat(Json.parse(result.content()).path("error").asText()).startsWith("no tool named 'nope'");
        TaskEvent toolResult = tasks.events(task.id()).stream().filter(e -> e.type() != TaskEvent.Kind.STATUS).toList().get(3);
        assertThat(toolResult.type()).isEqualTo(TaskEvent.Kind.TOOL_RESULT);
        assertThat(toolResult.data().path("ok").asBoolean()).isFalse();
        assertThat(toolResult.message()).contains("no tool named 'nope'");
    }

    @Test
    void tellsTheModelAboutAToolThatThrew() {
        Tool broken = tool("broken", (arguments, context) -> {
            throw new IllegalStateException("disk on fire");
        });
        Tool silent = tool("silent", (arguments, context) -> {
            throw new NullPointerException();
        });
        model.thenCall(model.call("broken", "{}"), model.call("silent", "{}")).thenAnswer("Both tools failed.");

        Task task = ask(agent(broken, silent), "try them");

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(task.answer()).isEqualTo("Both tools failed.");
        List<ChatMessage> sent = model.lastRequest().messages();
        assertThat(Json.parse(DataFence.unwrap(sent.get(3).content())).path("error").asText()).isEqualTo("disk on fire");
        assertThat(Json.parse(DataFence.unwrap(sent.get(4).content())).path("error").asText()).contains("NullPointerException");
        assertThat(tasks.events(task.id())).filteredOn(e -> e.type() == TaskEvent.Kind.TOOL_RESULT)
                .allSatisfy(e -> assertThat(e.data().path("ok").asBoolean()).isFalse());
    }

    @Test
    void tellsTheModelAboutAToolThatFailed() {
        Tool refusing = tool("refusing", (arguments, context) -> ToolResult.failed("not allowed"));
        model.thenCall("refusing", "{}").thenAnswer("It was not allowed.");

        Task task = ask(agent(refusing), "try it");

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(Json.parse(DataFence.unwrap(model.lastRequest().messages().get(3).content())).path("error").asText())
                .isEqualTo("not allowed");
    }

    @Test
    void stopsAModelThatRepeatsTheSameCall() {
        model.thenCall("echo", "{\"text\":\"again\"}").repeatingLast();

        Task task = ask(agent(echo()), "loop forever");

        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.error()).isEqualTo("loop detected: echo was called 3 times with the same arguments "
                + "{\"text\":\"again\"} in step 1");
        assertThat(echoed).hasSize(2);
        assertThat(eventTypes(task)).last().isEqualTo("failed");
    }

    @Test
    void stopsAModelThatNeverStopsCallingToolsAtTheStepLimit() {
        for (int i = 1; i <= MAX_STEPS + 1; i++) {
            model.thenCall("echo", "{\"text\":\"page " + i + "\"}");
        }

        Task task = ask(agent(echo()), "read every page");

        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.error()).isEqualTo("step limit: " + MAX_STEPS + " model turns on step 1 without an answer "
                + "(raise agents.max_steps in steward.yaml if the work needs more)");
        assertThat(task.answer()).isNull();
        assertThat(model.calls()).isEqualTo(MAX_STEPS);
        assertThat(echoed).hasSize(MAX_STEPS);
        assertThat(task.tokensIn()).isEqualTo(MAX_STEPS * ScriptedModel.DEFAULT_USAGE.inputTokens());
        assertThat(tasks.find(task.id())).contains(task);
        assertThat(eventTypes(task)).last().isEqualTo("failed");
        assertThat(ModelCallRows.forTask(database, task.id())).hasSize(MAX_STEPS);
    }

    @Test
    void failsTheTaskWhenTheModelFails() {
        model.thenFail("provider is down: connection refused");

        Task task = ask(agent(echo()), "summarise my inbox");

        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.error()).contains("provider is down: connection refused")
                .as("the offline model, the last resort, cannot do this either").contains("needs a language model");
        assertThat(tasks.find(task.id())).contains(task);
        List<TaskEvent> events = tasks.events(task.id()).stream().filter(e -> e.type() != TaskEvent.Kind.STATUS).toList();
        assertThat(events).extracting(e -> e.type().id()).containsExactly("started", "failed");
        assertThat(events.get(1).message()).startsWith("Failed: ").contains("provider is down: connection refused");
        assertThat(ModelCallRows.forTask(database, task.id())).singleElement().satisfies(row -> {
            assertThat(row.outcome()).isEqualTo("error");
            assertThat(row.error()).isEqualTo("provider is down: connection refused");
            assertThat(row.model()).isEqualTo("scripted");
        });
    }

    @Test
    void failsTheTaskWhenTheModelFailsAfterAToolRan() {
        model.thenCall("echo", "{\"text\":\"hi\"}").thenFail("rate limited");

        Task task = ask(agent(echo()), "echo hi");

        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.error()).contains("rate limited");
        assertThat(task.tokensIn()).isEqualTo(ScriptedModel.DEFAULT_USAGE.inputTokens());
        assertThat(task.model()).isEqualTo("scripted");
        assertThat(ModelCallRows.forTask(database, task.id())).extracting(r -> r.outcome())
                .containsExactly("ok", "error");
    }

    @Test
    void failsTheTaskWhenTheModelHasABug() {
        model.thenThrow(new IllegalArgumentException("bad field in the provider's answer"));

        Task task = ask(agent(), "summarise my inbox");

        assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(task.error()).contains("bad field in the provider's answer");
        assertThat(tasks.find(task.id())).get().extracting(Task::status).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void cancelsTheTaskWhenItsThreadIsInterruptedWhileTheModelWorks() throws Exception {
        model.thenBlockUntilInterrupted();
        AtomicReference<Task> result = new AtomicReference<>();
        Thread runner = Thread.ofVirtual().start(() -> result.set(ask(agent(echo()), "write a long essay")));
        assertThat(model.awaitBlocked(Duration.ofSeconds(5))).isTrue();

        runner.interrupt();
        runner.join(Duration.ofSeconds(5));

        assertThat(runner.isAlive()).isFalse();
        Task task = result.get();
        assertThat(task.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(task.answer()).isNull();
        assertThat(tasks.find(task.id())).contains(task);
        assertThat(eventTypes(task)).containsExactly("started", "cancelled");
        assertThat(ModelCallRows.forTask(database, task.id())).singleElement()
                .satisfies(row -> assertThat(row.outcome()).isEqualTo("cancelled"));
    }

    @Test
    void cancelsTheTaskWhenItsThreadIsInterruptedWhileAToolWorks() {
        Tool slow = tool("slow", (arguments, context) -> {
            Thread.currentThread().interrupt(); // the user pressed Ctrl-C while the tool ran
            return ToolResult.ok(Json.object());
        });
        model.thenCall("slow", "{}").thenAnswer("never sent");

        Task task = ask(agent(slow), "do something slow");

        assertThat(task.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(model.calls()).isEqualTo(1);
        assertThat(eventTypes(task)).containsExactly("started", "model_call", "tool_call", "tool_result", "cancelled");
    }

    @Test
    void tellsTheListenerEachEventAndTheStreamedText() {
        model.thenCall("echo", "{\"text\":\"hi\"}").thenAnswer("The tool said hi.");

        Task task = ask(agent(echo()), "echo hi");

        assertThat(listener.events).extracting(AgentTest::describe)
                .containsExactlyElementsOf(tasks.events(task.id()).stream().map(AgentTest::describe).toList());
        assertThat(listener.chunks).containsExactly("The ", "tool ", "said ", "hi.");
        assertThat(String.join("", listener.chunks)).isEqualTo(task.answer());
    }

    @Test
    void finishesTheTaskWhenTheListenerFails() {
        model.thenCall("echo", "{\"text\":\"hi\"}").thenAnswer("The tool said hi.");
        TaskListener broken = new TaskListener() {
            @Override
            public void onEvent(TaskEvent event) {
                throw new IllegalStateException("the client went away");
            }

            @Override
            public void onText(String chunk) {
                throw new IllegalStateException("the client went away");
            }
        };

        Task task = agent(echo()).ask(AskRequest.of("local", "echo hi"), broken);

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(task.answer()).isEqualTo("The tool said hi.");
        assertThat(tasks.find(task.id())).contains(task);
        assertThat(eventTypes(task)).last().isEqualTo("done");
        assertThat(ModelCallRows.forTask(database, task.id()))
                .allSatisfy(row -> assertThat(row.outcome()).isEqualTo("ok"));
    }

    @Test
    void labelsTheTaskWithItsIntent() {
        model.thenAnswer("a").thenAnswer("b").thenAnswer("c");
        Agent agent = new Agent(router, tasks, new ActionGate(new Tools(List.of()), ActionsConfig.defaults(), database,
                java.time.Clock.systemUTC()), MAX_STEPS);

        assertThat(ask(agent, "hello").intent()).isEqualTo(Intent.CONVERSATION);
        assertThat(ask(agent, "remember that I like tea").intent()).isEqualTo(Intent.MEMORY);
        assertThat(ask(agent, "rename the file").intent()).isEqualTo(Intent.SIMPLE_ACTION);
    }

    /** An event as it was persisted: JSON numbers come back from the database as the smallest type that fits. */
    static String describe(TaskEvent e) {
        return e.seq() + " " + e.type() + " " + e.role() + " " + e.message() + " "
                + (e.data() == null ? null : Json.write(e.data())) + " " + e.createdAt();
    }

    static final class RecordingListener implements TaskListener {
        final List<TaskEvent> events = new ArrayList<>();
        final List<String> chunks = new ArrayList<>();

        @Override
        public void onEvent(TaskEvent event) {
            events.add(event);
        }

        @Override
        public void onText(String chunk) {
            chunks.add(chunk);
        }
    }
}
