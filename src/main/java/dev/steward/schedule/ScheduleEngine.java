package dev.steward.schedule;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.PostgreSqlJdbcCustomization;
import dev.steward.config.AutomationConfig.MissedRuns;
import dev.steward.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * db-scheduler under the schedules: each schedule that is not paused has one row in {@code scheduled_tasks} saying
 * when it is next due. The scheduler of {@code steward serve} picks a due row with an optimistic lock in the database
 * (one node wins), runs the schedule, and sets the row to the schedule's next time. Any process (the CLI too) may
 * write rows through the client; serve sees them at its next poll.
 */
final class ScheduleEngine {
    static final String TASK = "steward-schedule";
    static final String DELIVERIES = "steward-notification-deliveries";
    /** A due time further back than this when the row is picked was missed (serve was not running). */
    static final Duration MISSED_AFTER = Duration.ofSeconds(90);

    private final Database database;
    private final Clock clock;
    private final CustomTask<Void> scheduleTask;
    private final RecurringTask<Void> deliveryTask;
    private volatile SchedulerClient client;
    private Scheduler scheduler;

    /**
     * @param fire     runs one schedule by name; the trigger is cron or missed
     * @param next     a schedule's next due time after an instant, empty when it is paused or gone
     * @param missed   what to do with a time that passed while serve was down
     * @param deliver  retries notification deliveries that are due
     */
    ScheduleEngine(Database database, Clock clock, BiConsumer<String, String> fire,
                   java.util.function.BiFunction<String, Instant, Optional<Instant>> next, MissedRuns missed,
                   Runnable deliver, Duration deliveryEvery) {
        this.database = database;
        this.clock = clock;
        this.scheduleTask = Tasks.custom(TASK, Void.class)
                .onDeadExecutionRevive()
                .execute((instance, context) -> {
                    String name = instance.getId();
                    Instant due = context.getExecution().executionTime;
                    boolean late = due.isBefore(clock.instant().minus(MISSED_AFTER));
                    if (!late) {
                        fire.accept(name, "cron");
                    } else if (missed == MissedRuns.ONCE) {
                        fire.accept(name, "missed");
                    }
                    return (complete, operations) -> next.apply(name, clock.instant())
                            .ifPresentOrElse(at -> operations.reschedule(complete, at), operations::remove);
                });
        this.deliveryTask = Tasks.recurring(DELIVERIES, FixedDelay.of(deliveryEvery)).execute((i, c) -> deliver.run());
    }

    /** Starts polling for due schedules every {@code poll}; for {@code steward serve}. */
    synchronized void start(Duration poll) {
        if (scheduler != null) {
            return;
        }
        scheduler = Scheduler.create(database.dataSource(), List.of(scheduleTask))
                .startTasks(deliveryTask)
                .clock(clock::instant)
                .pollingInterval(poll)
                .heartbeatInterval(Duration.ofSeconds(Math.max(2, poll.toSeconds() * 2)))
                .threads(4)
                .enableImmediateExecution()
                .jdbcCustomization(dialect(database))
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
        client = scheduler;
        scheduler.start();
    }

    /** Looks for due schedules now rather than at the next poll. */
    void checkNow() {
        Scheduler running = scheduler;
        if (running != null) {
            running.triggerCheckForDueExecutions();
        }
    }

    /** Sets when a schedule is next due, creating its row if it has none; empty removes the row. */
    void plan(String name, Optional<Instant> at) {
        TaskInstanceId id = TaskInstanceId.of(TASK, name);
        boolean exists = client().getScheduledExecution(id).isPresent();
        if (at.isEmpty()) {
            if (exists) {
                cancelQuietly(id);
            }
        } else if (!exists) {
            client().scheduleIfNotExists(new TaskInstance<Void>(TASK, name), at.get());
        } else {
            rescheduleQuietly(id, at.get());
        }
    }

    /** Makes sure a schedule has a row, leaving a row it has (and so a time it missed) alone. */
    void ensure(String name, Instant at) {
        client().scheduleIfNotExists(new TaskInstance<Void>(TASK, name), at);
    }

    /** When the scheduler will next run the schedule, if it has a row. */
    Optional<Instant> due(String name) {
        return client().getScheduledExecution(TaskInstanceId.of(TASK, name)).map(e -> e.getExecutionTime());
    }

    private void cancelQuietly(TaskInstanceId id) {
        try {
            client().cancel(id);
        } catch (RuntimeException running) {
            // It runs now; its completion finds the schedule gone or paused and removes the row.
        }
    }

    private void rescheduleQuietly(TaskInstanceId id, Instant at) {
        try {
            client().reschedule(id, at);
        } catch (RuntimeException running) {
            // It runs now; its completion reads the schedule again and sets the next time.
        }
    }

    private SchedulerClient client() {
        SchedulerClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = SchedulerClient.Builder.create(database.dataSource(), scheduleTask)
                            .jdbcCustomization(dialect(database)).build();
                }
                c = client;
            }
        }
        return c;
    }

    synchronized void stop() {
        if (scheduler != null) {
            scheduler.stop();
            scheduler = null;
            client = null;
        }
    }

    /**
     * PostgreSQL has db-scheduler's own dialect; SQLite, which it does not know, takes the generic one with LIMIT (optimistic
     * locking by a version column, timestamps stored as UTC milliseconds): one process at a time polls a SQLite file
     * in practice, and its updates still let only one picker win.
     */
    private static JdbcCustomization dialect(Database database) {
        return database.dialect() == Database.Dialect.POSTGRESQL
                ? new PostgreSqlJdbcCustomization(false, true) : new Sqlite();
    }

    /** The generic dialect with SQLite's way of limiting rows (it has no FETCH FIRST). */
    static final class Sqlite extends DefaultJdbcCustomization {
        Sqlite() {
            super(true);
        }

        @Override
        public String getQueryLimitPart(int limit) {
            return " LIMIT " + limit;
        }

        @Override
        public String getName() {
            return "SQLite";
        }
    }
}
