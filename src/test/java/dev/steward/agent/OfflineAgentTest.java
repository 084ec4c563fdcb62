package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.ModelCall;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelCallRows;
import dev.steward.router.OfflineModel;
import dev.steward.router.RamTempDir;
import dev.steward.router.Router;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end with no provider configured: the real router, the offline model, the status tool, the database. */
class OfflineAgentTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    TaskStore tasks;
    Agent agent;

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void setUp() {
        database = Database.open(home, DatabaseConfig.embedded());
        tasks = new TaskStore(database);
        Router router = new Router(List.of(), new ModelCallLog(database), RoutingMode.AUTO);
        ObjectNode setup = Json.object().put("version", "0.1.0-test").put("mode", "offline")
                .put("home", home.toString()).put("database", database.url());
        agent = new Agent(router, tasks, new ActionGate(new Tools(List.of(new StatusTool(setup, tasks))),
                ActionsConfig.defaults(), database, java.time.Clock.systemUTC()), 12);
    }

    Task ask(String input) {
        return agent.ask(AskRequest.of("local", input), TaskListener.NONE);
    }

    @Test
    void answersStatusThroughTheStatusTool() {
        ask("hello");
        ask("what can you do?");

        Task task = ask("status");

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(task.model()).isEqualTo("offline");
        assertThat(task.answer())
                .contains("Steward 0.1.0-test")
                .contains("offline mode")
                .contains("no model provider configured")
                // the two before and this one, which is still running while it counts
                .contains("Tasks: 3 in all, 2 done, 0 failed.")
                .contains(home.toString())
                .contains(database.url());

        List<TaskEvent> events = tasks.events(task.id()).stream().filter(e -> e.type() != TaskEvent.Kind.STATUS).toList();
        assertThat(events).extracting(e -> e.type().id())
                .containsExactly("started", "model_call", "tool_call", "tool_result", "model_call", "done");
        assertThat(events.get(2).data().path("tool").asText()).isEqualTo(OfflineModel.STATUS_TOOL);
        assertThat(events.get(3).data().path("ok").asBoolean()).isTrue();

        List<ModelCall> calls = ModelCallRows.forTask(database, task.id());
        assertThat(calls).hasSize(2).allSatisfy(call -> {
            assertThat(call.provider()).isEqualTo("offline");
            assertThat(call.model()).isEqualTo("offline");
            assertThat(call.routeReason()).isEqualTo("no model provider configured");
            assertThat(call.outcome()).isEqualTo("ok");
            assertThat(call.tokensIn()).isPositive();
            assertThat(call.tokensOut()).isPositive();
            assertThat(call.userId()).isEqualTo("local");
        });
        assertThat(task.tokensIn()).isEqualTo(calls.stream().mapToLong(ModelCall::tokensIn).sum());
        assertThat(task.tokensOut()).isEqualTo(calls.stream().mapToLong(ModelCall::tokensOut).sum());
    }

    @Test
    void greetsWithOneModelCall() {
        Task task = ask("good morning");

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(task.answer()).startsWith("Hello!");
        assertThat(task.intent()).isEqualTo(Intent.CONVERSATION);
        assertThat(ModelCallRows.forTask(database, task.id())).hasSize(1);
    }

    @Test
    void saysHowToConnectAModelForEverythingElse() {
        Task task = ask("write me a poem about Paris");

        assertThat(task.status()).isEqualTo(TaskStatus.DONE);
        assertThat(task.answer()).contains("can't answer that offline")
                .contains("Ollama", "OPENAI_BASE_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "steward doctor");
        assertThat(tasks.events(task.id())).extracting(e -> e.type().id()).doesNotContain("tool_call");
    }

    @Test
    void answersTheSameWayEveryTime() {
        Task first = ask("status");
        Task second = ask("status");

        // The task counts differ, the rest of the answer does not.
        assertThat(second.answer().replaceAll("Tasks: .*", ""))
                .isEqualTo(first.answer().replaceAll("Tasks: .*", ""));
        assertThat(ask("what can you do?").answer()).isEqualTo(ask("what can you do?").answer());
    }
}
