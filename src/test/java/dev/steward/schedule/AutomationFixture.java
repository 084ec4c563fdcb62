package dev.steward.schedule;

import dev.steward.actions.ActionGate;
import dev.steward.actions.Tools;
import dev.steward.agent.Agent;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStore;
import dev.steward.config.ActionsConfig;
import dev.steward.config.AutomationConfig;
import dev.steward.config.ConnectionsConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.config.StewardConfig;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Router;
import dev.steward.store.Database;
import dev.steward.support.MovableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** A real offline Steward on SQLite, with the automation part on a clock the test moves. */
final class AutomationFixture implements AutoCloseable {
    /** Half a minute before 07:00 UTC on a Monday: a morning briefing is about to be due. */
    static final Instant START = Instant.parse("2026-05-04T06:59:30Z");
    final MovableClock clock = new MovableClock(START);
    final Database database;
    final TaskStore tasks;
    final Router router;
    final ActionGate gate;
    final TaskRunner runner;
    final Automation automation;

    AutomationFixture(Path home, AutomationConfig.Settings settings) {
        this(home, DatabaseConfig.embedded(), settings);
    }

    /** One node of Steward on {@code databaseConfig}; several such share a PostgreSQL database. */
    AutomationFixture(Path home, DatabaseConfig databaseConfig, AutomationConfig.Settings settings) {
        this(home, databaseConfig, settings, null);
    }

    /** With outside connections (mail, calendar) for the channels and the briefing. */
    AutomationFixture(Path home, DatabaseConfig databaseConfig, AutomationConfig.Settings settings,
                      ConnectionsConfig connections) {
        database = Database.open(home, databaseConfig);
        tasks = new TaskStore(database);
        router = new Router(List.of(), new ModelCallLog(database), RoutingMode.OFFLINE);
        gate = new ActionGate(new Tools(List.of()), ActionsConfig.defaults(), database, Clock.systemUTC());
        runner = new TaskRunner(new Agent(router, tasks, gate, 4), tasks);
        StewardConfig config = StewardConfig.defaults(home);
        config = new StewardConfig(config.home(), config.file(), null, null, null, null, null, null, null, null, null,
                null, new AutomationConfig(List.of(), settings), null, null, connections, null, null, null, null);
        automation = new Automation(config, database, tasks, () -> runner, () -> gate, () -> null, () -> router,
                "local", clock);
    }

    @Override
    public void close() {
        automation.close();
        runner.close();
        database.close();
    }

}
