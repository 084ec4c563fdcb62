package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/** The agent runtime through the real CLI, offline: workspace files, the event history, the task commands. */
class RuntimeCliTest {
    @TempDir
    Path temp;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void askListsTheWorkspaceFilesOfflineAndTasksShowHasTheWholeHistory() throws IOException {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        Path workspace = temp.resolve("home").resolve("workspace");
        Files.createDirectories(workspace.resolve("invoices"));
        Files.writeString(workspace.resolve("price-list.csv"), "item,price\ncoffee,3\n");

        Result listed = steward.run("ask", "list the files in my workspace");

        assertThat(listed.exit()).as("%s", listed).isZero();
        assertThat(listed.out()).contains("Your workspace has 2 items:", "invoices/", "price-list.csv (20 B)");
        assertThat(listed.err()).contains("Employee", "Calling files.list");

        String id = JsonTask.newest(steward).id();
        Result show = steward.run("tasks", "show", id);
        assertThat(show.out()).contains("started", "status", "model_call", "tool_call", "tool_result", "done",
                "queued → running", "Calling files.list");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aTaskWaitingForApprovalSaysWhichCommandsContinueItAndTheyDo() throws IOException {
        Path workspace = temp.resolve("home").resolve("workspace");
        Files.createDirectories(workspace);
        Files.writeString(workspace.resolve("old-prices.csv"), "coffee,2\n");
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.models("llama-3.1-8b-instruct").enqueue(
                    FakeReply.json("{\"intent\": \"simple_action\"}"),
                    FakeReply.toolCall("call_1", "files.delete", "{\"path\": \"old-prices.csv\"}"),
                    FakeReply.text("Deleted old-prices.csv."));
            StewardProcess steward = StewardProcess.in(temp.resolve("home")).with("OPENAI_BASE_URL", server.baseUrl());

            Result asked = steward.run("ask", "delete the old price list");

            assertThat(asked.exit()).as("%s", asked).isEqualTo(Main.NEEDS_APPROVAL);
            assertThat(workspace.resolve("old-prices.csv")).exists();
            JsonTask task = JsonTask.newest(steward);
            assertThat(task.status()).isEqualTo("waiting_approval");
            assertThat(asked.err()).contains("waits for approval " + task.approvalId(),
                    "steward approvals approve " + task.approvalId(), "steward tasks resume " + task.id());

            assertThat(steward.run("approvals", "approve", task.approvalId()).exit()).isZero();
            Result resumed = steward.run("tasks", "resume", task.id());

            assertThat(resumed.exit()).as("%s", resumed).isZero();
            assertThat(resumed.out()).contains("Deleted old-prices.csv.");
            assertThat(workspace.resolve("old-prices.csv")).doesNotExist();
            assertThat(JsonTask.newest(steward).status()).isEqualTo("done");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void chatAnswersATasksQuestionWithTheNextLine() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.models("llama-3.1-8b-instruct").enqueue(
                    FakeReply.json("{\"intent\": \"simple_action\"}"),
                    FakeReply.toolCall("call_1", "steward.ask_user", "{\"question\": \"Which month?\"}"),
                    FakeReply.text("March: 12 invoices."));
            StewardProcess steward = StewardProcess.in(temp.resolve("home")).with("OPENAI_BASE_URL", server.baseUrl());

            Result chat = steward.startWithInput("count the invoices\nMarch\n/exit\n", "chat").finish();

            assertThat(chat.exit()).as("%s", chat).isZero();
            assertThat(chat.out()).contains("asks: Which month? — your next message answers it", "March: 12 invoices.");
            assertThat(steward.run("tasks", "list").out()).contains("done").doesNotContain("waiting_input");
            assertThat(server.lastRequest().body().path("messages").toString())
                    .contains("{\\\"answer\\\":\\\"March\\\"}");
        }
    }

    /** The newest task, as `steward tasks list --json` gives it. */
    record JsonTask(String id, String status, String approvalId) {
        static JsonTask newest(StewardProcess steward) {
            var task = Json.parse(steward.run("tasks", "list", "--json").out()).get(0);
            return new JsonTask(task.path("id").asText(), task.path("status").asText(),
                    task.path("approval_id").asText());
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void taskCommandsExplainWhatIsWrongInOneLine() {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        Result done = steward.run("ask", "hello");
        String id = JsonTask.newest(steward).id();

        Result answer = steward.run("tasks", "answer", id, "March");
        assertThat(answer.exit()).as("%s", answer).isEqualTo(2);
        assertThat(answer.err().strip()).contains("is done, not waiting for an answer").doesNotContain("\n");

        Result cancel = steward.run("tasks", "cancel", id);
        assertThat(cancel.exit()).isEqualTo(2);
        assertThat(cancel.err()).contains("has already ended (done)");

        Result agent = steward.run("ask", "--agent", "poet", "write a haiku");
        assertThat(agent.exit()).isEqualTo(2);
        assertThat(agent.err()).contains("no agent named 'poet'", "code, research, files");
        assertThat(done.exit()).isZero();
    }
}
