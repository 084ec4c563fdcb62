package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steward.actions.ActionGate;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.ModelCallLog;
import dev.steward.router.RamTempDir;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background tasks: an id at once, events to every observer, cancellation only by the task's owner. */
class TaskRunnerTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    TaskStore tasks;
    ScriptedModel model = new ScriptedModel();
    TaskRunner runner;
    final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        database = Database.open(home, DatabaseConfig.embedded());
        tasks = new TaskStore(database);
        for (String user : List.of("ann", "bob")) {
            database.jdbi().useHandle(h -> h.execute(
                    "INSERT INTO users (id, name, role, created_at) VALUES (?, ?, 'standard', 0)", user, user));
        }
        Router router = new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO);
        Agent agent = new Agent(router, tasks, new ActionGate(new Tools(List.of()), ActionsConfig.defaults(), database,
                Clock.systemUTC()), 4);
        runner = new TaskRunner(agent, tasks);
        runner.subscribe(new TaskObserver() {
            @Override
            public void onEvent(String userId, TaskEvent event) {
                seen.add(userId + ":" + event.type().id());
            }
        });
    }

    @AfterEach
    void tearDown() {
        runner.close();
        database.close();
    }

    @Test
    void aSubmittedTaskIsRecordedAtOnceAndFinishesInTheBackground() {
        model.thenAnswer("Hello from the background");
        Task queued = runner.submit(AskRequest.of("ann", "say hello"));

        assertThat(tasks.find(queued.id())).isPresent();
        await().atMost(Duration.ofSeconds(10)).until(() -> tasks.find(queued.id()).orElseThrow().status().finished());
        assertThat(tasks.find(queued.id()).orElseThrow().answer()).isEqualTo("Hello from the background");
        assertThat(seen).contains("ann:started", "ann:done");
    }

    @Test
    void onlyTheOwnerFindsOrCancelsATask() throws InterruptedException {
        model.thenBlockUntilInterrupted();
        Task queued = runner.submit(AskRequest.of("ann", "take your time"));
        assertThat(model.awaitBlocked(Duration.ofSeconds(10))).isTrue();

        assertThat(runner.find("bob", queued.id())).isEmpty();
        assertThat(runner.cancel("bob", queued.id())).isFalse();
        assertThat(runner.cancel("ann", queued.id())).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> tasks.find(queued.id()).orElseThrow().status() == TaskStatus.CANCELLED);
    }
}
