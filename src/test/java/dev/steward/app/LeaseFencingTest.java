package dev.steward.app;

import static dev.steward.app.ScaleOutTest.PROCESS_CLUSTER;
import static dev.steward.app.ScaleOutTest.chatRequests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steward.agent.Task;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskStatus;
import dev.steward.config.DatabaseConfig;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.store.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes to a task are fenced by its lease: a node frozen longer than its lease (here really frozen, with SIGSTOP)
 * wakes up to find that the other node took the task over and finished it, and the store refuses its late writes.
 */
@ExtendWith(TestPostgres.class)
class LeaseFencingTest {
    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    @Test
    void aNodeFrozenPastItsLeaseCannotSaveAStepOfTheTaskTheOtherNodeTookOver(DatabaseConfig postgres) throws Exception {
        try (FakeOpenAiServer model = FakeOpenAiServer.start()) {
            // Node A's model call is answered late: when it wakes, it has an answer and tries to save it.
            model.models("llama-3.1-8b-instruct")
                    .defaultReply(FakeReply.text("Answer of node A.").delay(Duration.ofSeconds(15)));
            ScaleOutTest.writeConfig(homeA, postgres, PROCESS_CLUSTER);
            StewardProcess.Running asking = StewardProcess.in(homeA).with("OPENAI_BASE_URL", model.baseUrl())
                    .with("OPENAI_API_KEY", "sk-node-a").start("ask", "which supplier is cheaper?");
            Map<String, String> provider = Map.of("OPENAI_BASE_URL", model.baseUrl(), "OPENAI_API_KEY", "sk-node-b");
            try (Steward b = ScaleOutTest.serving(homeB, postgres, PROCESS_CLUSTER, provider)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> chatRequests(model, "sk-node-a") >= 1
                        && !b.tasks().list(1, null).isEmpty());
                Task held = b.tasks().list(1, null).get(0);

                signal(asking.process(), "STOP"); // frozen mid-call: no heartbeat, no lease renewal
                model.defaultReply(FakeReply.text("Answer of node B."));
                await().atMost(Duration.ofSeconds(60)).until(() ->
                        b.tasks().find(held.id()).orElseThrow().status() == TaskStatus.DONE);
                List<TaskEvent> historyByB = b.tasks().events(held.id());

                signal(asking.process(), "CONT"); // A's call returns now (or times out): either way it tries to save
                assertThat(asking.process().waitFor(90, TimeUnit.SECONDS)).as("node A gives up the task").isTrue();
                assertThat(asking.err().join()).as("and says why")
                        .contains("task " + held.id() + " was taken over by another runner")
                        .contains("writes nothing more");

                Task finished = b.tasks().find(held.id()).orElseThrow();
                assertThat(finished.status()).isEqualTo(TaskStatus.DONE);
                assertThat(finished.answer()).isEqualTo("Answer of node B.");
                assertThat(b.tasks().events(held.id())).as("node A's late step left no trace in the history")
                        .isEqualTo(historyByB)
                        .noneMatch(e -> e.message() != null && e.message().contains("node A"));
                assertThat(historyByB).filteredOn(e -> e.type().ends()).as("one end, node B's").hasSize(1);
            } finally {
                signal(asking.process(), "CONT");
                asking.process().destroyForcibly();
            }
        }
    }

    private static void signal(Process process, String signal) throws Exception {
        if (process.isAlive()) {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        }
    }
}
