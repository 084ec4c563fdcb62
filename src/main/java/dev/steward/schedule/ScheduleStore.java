package dev.steward.schedule;

import dev.steward.store.Database;
import dev.steward.support.Ids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The rows of schedules and of automation runs (schedules, crews, webhooks). */
final class ScheduleStore {
    private final Database database;

    ScheduleStore(Database database) {
        this.database = database;
    }

    /** Writes a schedule, replacing one of the same name. */
    void put(Schedule s) {
        database.jdbi().useTransaction(h -> {
            h.execute("DELETE FROM schedules WHERE name = ?", s.name());
            h.createUpdate("""
                            INSERT INTO schedules (name, cron, zone, task, agent, user_id, notify, paused, origin,
                                created_at) VALUES (:name, :cron, :zone, :task, :agent, :user, :notify, :paused,
                                :origin, :created)""")
                    .bind("name", s.name()).bind("cron", s.cron().expression()).bind("zone", s.cron().zone().getId())
                    .bind("task", s.task()).bind("agent", s.agent()).bind("user", s.userId())
                    .bind("notify", s.notifyOwner() ? 1 : 0).bind("paused", s.paused() ? 1 : 0)
                    .bind("origin", s.origin()).bind("created", s.createdAt()).execute();
        });
    }

    Optional<Schedule> find(String name) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM schedules WHERE name = :name")
                .bind("name", name).map((rs, ctx) -> schedule(rs)).findOne());
    }

    List<Schedule> all() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM schedules ORDER BY name")
                .map((rs, ctx) -> schedule(rs)).list());
    }

    boolean remove(String name) {
        return database.jdbi().withHandle(h -> h.execute("DELETE FROM schedules WHERE name = ?", name)) == 1;
    }

    /**
     * Claims the schedule for one run until {@code until}, if nobody runs it now: of two processes that try at once
     * (serve's scheduler and 'schedules run'), one wins.
     */
    boolean claim(String name, long now, long until) {
        return database.jdbi().withHandle(h -> h.createUpdate(
                        "UPDATE schedules SET running_until = :until WHERE name = :name AND running_until <= :now")
                .bind("until", until).bind("name", name).bind("now", now).execute()) == 1;
    }

    void release(String name) {
        database.jdbi().useHandle(h -> h.execute("UPDATE schedules SET running_until = 0 WHERE name = ?", name));
    }

    AutomationRun start(String kind, String name, String trigger, long now) {
        AutomationRun run = new AutomationRun(Ids.next(), kind, name, trigger, null, AutomationRun.RUNNING, null, now,
                null);
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO automation_runs (id, kind, name, trigger_by, status, started_at)
                        VALUES (:id, :kind, :name, :trigger, :status, :startedAt)""")
                .bindMethods(run).execute());
        return run;
    }

    void finish(String runId, String taskId, String status, String summary, long now) {
        database.jdbi().useHandle(h -> h.createUpdate("""
                        UPDATE automation_runs SET task_id = :task, status = :status, summary = :summary,
                            finished_at = :now WHERE id = :id""")
                .bind("task", taskId).bind("status", status).bind("summary", summary).bind("now", now)
                .bind("id", runId).execute());
    }

    /** The runs of one schedule, crew or hook, newest first. */
    List<AutomationRun> runs(String kind, String name, int limit) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT * FROM automation_runs WHERE kind = :kind AND name = :name
                        ORDER BY started_at DESC, id DESC LIMIT :limit""")
                .bind("kind", kind).bind("name", name).bind("limit", limit)
                .map((rs, ctx) -> run(rs)).list());
    }

    /** Every run started at or after {@code since}, oldest first. */
    List<AutomationRun> runsSince(long since) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM automation_runs WHERE started_at >= :since ORDER BY started_at, id")
                .bind("since", since).map((rs, ctx) -> run(rs)).list());
    }

    private static AutomationRun run(ResultSet rs) throws SQLException {
        long finished = rs.getLong("finished_at");
        return new AutomationRun(rs.getString("id"), rs.getString("kind"), rs.getString("name"),
                rs.getString("trigger_by"), rs.getString("task_id"), rs.getString("status"), rs.getString("summary"),
                rs.getLong("started_at"), rs.wasNull() ? null : finished);
    }

    private static Schedule schedule(ResultSet rs) throws SQLException {
        return new Schedule(rs.getString("name"), new Cron(rs.getString("cron"),
                java.time.ZoneId.of(rs.getString("zone"))), rs.getString("task"), rs.getString("agent"),
                rs.getString("user_id"), rs.getInt("notify") == 1, rs.getInt("paused") == 1, rs.getString("origin"),
                rs.getLong("created_at"));
    }
}
