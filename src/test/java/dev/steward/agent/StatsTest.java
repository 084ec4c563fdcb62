package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.actions.ActionGate;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.Locality;
import dev.steward.router.ModelCall;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelUsage;
import dev.steward.router.RamTempDir;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.router.Usage;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stats read the rows tasks and model calls leave: all time, and the last 24 hours by the clock it is given. */
class StatsTest {
    static final long DAY = Duration.ofHours(24).toMillis();

    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    TaskStore tasks;
    ModelCallLog calls;

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void setUp() {
        database = Database.open(home, DatabaseConfig.embedded());
        tasks = new TaskStore(database);
        calls = new ModelCallLog(database);
    }

    Stats statsAt(long nowMillis) {
        return new Stats(tasks, calls, java.util.Optional.empty(), Clock.fixed(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC));
    }

    void insertTask(String id, TaskStatus status, Intent intent, long createdAt) {
        tasks.insert(new Task(id, "local", null, status, intent, "an old request", "an old answer", null, "old-model",
                100, 50, 1234, createdAt, createdAt, createdAt + 1000));
    }

    void insertCall(String model, long tokensIn, long tokensOut, long costMicros, long createdAt) {
        calls.record(new ModelCall(model + createdAt, null, "local", "test", model, Locality.LOCAL, "first configured model", null,
                tokensIn, tokensOut, costMicros, 500, null, false, "ok", null, createdAt));
    }

    @Test
    void isEmptyBeforeAnythingHappened() {
        Stats.Report report = statsAt(System.currentTimeMillis()).report();

        for (Stats.Period period : List.of(report.allTime(), report.last24h())) {
            assertThat(period.tasks()).isZero();
            assertThat(period.tasksByStatus()).isEmpty();
            assertThat(period.tasksByIntent()).isEmpty();
            assertThat(period.models()).isEmpty();
            assertThat(period.tokensIn()).isZero();
            assertThat(period.tokensOut()).isZero();
            assertThat(period.costUsd()).isZero();
        }
    }

    @Test
    void countsTasksByStatusAndIntentAndTokensByModelForAllTimeAndTheLastDay() {
        ScriptedModel model = new ScriptedModel().thenAnswer("Hi!", new Usage(10, 5)).thenFail("provider is down");
        Agent agent = new Agent(new Router(List.of(model), calls, RoutingMode.AUTO), tasks,
                new ActionGate(new Tools(List.of()), ActionsConfig.defaults(), database, java.time.Clock.systemUTC()), 4);
        agent.ask(AskRequest.of("local", "hello"), TaskListener.NONE);
        agent.ask(AskRequest.of("local", "what is the weather?"), TaskListener.NONE);
        long now = System.currentTimeMillis();
        insertTask("old", TaskStatus.DONE, Intent.SIMPLE_ACTION, now - DAY - 60_000);
        insertCall("old-model", 100, 50, 1234, now - DAY - 60_000);

        Stats.Report report = statsAt(now).report();

        Stats.Period all = report.allTime();
        assertThat(all.tasks()).isEqualTo(3);
        assertThat(all.tasksByStatus()).isEqualTo(Map.of("done", 2L, "failed", 1L));
        assertThat(all.tasksByIntent()).isEqualTo(Map.of("conversation", 1L, "question", 1L, "simple_action", 1L));
        assertThat(all.models()).containsExactly(
                new ModelUsage("test", "old-model", 1, 0, 100, 50, 1234, 500),
                new ModelUsage("test", "scripted", 2, 1, 10, 5, 0, scripted(all).avgLatencyMs()));
        assertThat(all.tokensIn()).isEqualTo(110);
        assertThat(all.tokensOut()).isEqualTo(55);
        assertThat(all.costMicros()).isEqualTo(1234);
        assertThat(all.costUsd()).isEqualTo(0.001234);

        Stats.Period day = report.last24h();
        assertThat(day.tasks()).isEqualTo(2);
        assertThat(day.tasksByStatus()).isEqualTo(Map.of("done", 1L, "failed", 1L));
        assertThat(day.tasksByIntent()).isEqualTo(Map.of("conversation", 1L, "question", 1L));
        assertThat(day.models()).extracting(ModelUsage::model).containsExactly("scripted");
        assertThat(day.tokensIn()).isEqualTo(10);
        assertThat(day.tokensOut()).isEqualTo(5);
        assertThat(day.costMicros()).isZero();
    }

    @Test
    void theLastDayStartsExactly24HoursBeforeTheClock() {
        long now = 1_750_000_000_000L;
        insertTask("edge", TaskStatus.DONE, Intent.QUESTION, now - DAY);
        insertTask("before", TaskStatus.FAILED, Intent.QUESTION, now - DAY - 1);
        insertCall("edge-model", 1, 1, 0, now - DAY);
        insertCall("before-model", 1, 1, 0, now - DAY - 1);

        Stats.Period day = statsAt(now).report().last24h();

        assertThat(day.tasks()).isEqualTo(1);
        assertThat(day.tasksByStatus()).isEqualTo(Map.of("done", 1L));
        assertThat(day.models()).extracting(ModelUsage::model).containsExactly("edge-model");
        assertThat(statsAt(now).report().allTime().tasks()).isEqualTo(2);
    }

    @Test
    void followsTheClockItIsGiven() {
        long now = System.currentTimeMillis();
        insertTask("recent", TaskStatus.DONE, Intent.QUESTION, now - 60_000);

        assertThat(statsAt(now).report().last24h().tasks()).isEqualTo(1);
        assertThat(statsAt(now + 2 * DAY).report().last24h().tasks()).isZero();
        assertThat(statsAt(now + 2 * DAY).report().allTime().tasks()).isEqualTo(1);
    }

    private static ModelUsage scripted(Stats.Period period) {
        return period.models().stream().filter(m -> m.model().equals("scripted")).findFirst().orElseThrow();
    }
}
