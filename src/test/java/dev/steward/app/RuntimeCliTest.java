package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent runtime through the real CLI, offline: workspace files, the event history, the task commands. */
class RuntimeCliTest {
    @TempDir
    Path temp;

    @Test
    void askListsTheWorkspaceFilesOfflineAndTasksShowHasTheWholeHistory() throws IOException {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        Path workspace = temp.resolve("home").resolve("workspace");
        Files.createDirectories(workspace.resolve("invoices"));
        Files.writeString(workspace.resolve("price-list.csv"), "item,price\ncoffee,3\n");

        Result listed = steward.run("ask", "list the files in my workspace");

        assertThat(listed.exit()).as("%s", listed).isZero();
        assertThat(listed.out()).contains("Your workspace has 2 items:", "invoices/", "price-list.csv (20 B)");
        assertThat(listed.err()).contains("Employee", "Calling files.list");

        String id = steward.run("tasks", "list", "--json").out().replaceAll("(?s).*?\"id\" : \"([^\"]+)\".*", "$1");
        Result show = steward.run("tasks", "show", id);
        assertThat(show.out()).contains("started", "status", "model_call", "tool_call", "tool_result", "done",
                "queued → running", "Calling files.list");
    }

    @Test
    void taskCommandsExplainWhatIsWrongInOneLine() {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        Result done = steward.run("ask", "hello");
        String id = steward.run("tasks", "list", "--json").out().replaceAll("(?s).*?\"id\" : \"([^\"]+)\".*", "$1");

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
