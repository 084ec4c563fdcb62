package dev.steward.bench;

import dev.steward.actions.ActionGate;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolResult;
import dev.steward.actions.ToolSpec;
import dev.steward.actions.Tools;
import dev.steward.agent.Agent;
import dev.steward.agent.AskRequest;
import dev.steward.agent.Intent;
import dev.steward.agent.Task;
import dev.steward.agent.TaskListener;
import dev.steward.agent.TaskStore;
import dev.steward.config.ActionsConfig;
import dev.steward.config.AgentsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatModel;
import dev.steward.router.ChatRequest;
import dev.steward.router.ChatResponse;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Router;
import dev.steward.router.ToolCall;
import dev.steward.router.Usage;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent runtime's own cost, with a model and a tool that answer instantly: one task is two steps (a model turn
 * that calls a tool, the tool call through the gate, a model turn that answers), each persisted as events and a
 * checkpoint in SQLite. Divide by two for the cost per step. Run with bench/runtime.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class RuntimeBenchmark {
    private Database database;
    private Router router;
    private Agent agent;

    /** Calls the echo tool once, then answers: the shape of a typical simple task. */
    public static final class ToolThenAnswer implements ChatModel {
        private final long delayMillis;

        public ToolThenAnswer(long delayMillis) {
            this.delayMillis = delayMillis;
        }

        @Override
        public String name() {
            return "instant";
        }

        @Override
        public String provider() {
            return "bench";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<ChatMessage> messages = request.messages();
            if (messages.getLast().role() == ChatMessage.Role.TOOL) {
                return new ChatResponse("It said hi.", List.of(), new Usage(40, 4), "instant",
                        ChatResponse.FinishReason.STOP);
            }
            return new ChatResponse("", List.of(new ToolCall("call_" + messages.size(), "echo",
                    Json.object().put("text", "hi"))), new Usage(30, 8), "instant", ChatResponse.FinishReason.TOOL_CALLS);
        }
    }

    public static Tool echo() {
        ToolSpec spec = new ToolSpec("echo", "Echoes its text.",
                Json.parse("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}"), Risk.READ);
        return Tool.of(spec, (arguments, context) ->
                ToolResult.ok(Json.object().put("echoed", arguments.path("text").asText())));
    }

    /** An agent over a fresh database in {@code home}, every message a simple action (no classification cost). */
    public static Agent agent(Database database, Router router) {
        return new Agent(router, new TaskStore(database), new ActionGate(new Tools(List.of(echo())),
                ActionsConfig.defaults(), database, Clock.systemUTC()), null, AgentsConfig.defaults(),
                (text, history, context) -> Intent.SIMPLE_ACTION);
    }

    public static Database database(Path home) {
        Database database = Database.open(home, DatabaseConfig.embedded());
        database.jdbi().useHandle(h -> h.execute(
                "INSERT INTO users (id, name, role, created_at) VALUES ('bench', 'bench', 'standard', 0)"));
        return database;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        database = database(Files.createTempDirectory("steward-bench"));
        router = new Router(List.of(new ToolThenAnswer(0)), new ModelCallLog(database), RoutingMode.AUTO);
        agent = agent(database, router);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
        database.close();
    }

    /** One task of two steps, end to end: open, run, every event and checkpoint written. */
    @Benchmark
    public Task twoStepTask() {
        return agent.ask(AskRequest.of("bench", "echo hi"), TaskListener.NONE);
    }
}
