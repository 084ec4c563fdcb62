package dev.steward.rollout;

import dev.steward.store.Database;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The rows of rollouts, their calls and their timeline (tables of V11__rollout.sql). */
final class RolloutStore {
    private static final String COLUMNS = "id, name, alias, baseline, candidate, plan, gates, state, phase,"
            + " phase_started_at, reason, owner, created_at, updated_at";

    /** A call to one arm, as stored. */
    record Call(String arm, int phase, boolean shadow, boolean ok, long latencyMs, long costMicros, Double agreement) {}

    /** A line of the timeline: started, phase, paused, resumed, gate, promoted, rolled_back, aborted, notify. */
    record Event(String kind, String message, long at) {}

    private final Database database;

    RolloutStore(Database database) {
        this.database = database;
    }

    /** Inserts a rollout unless its name is taken or its alias is held by an active one, atomically. */
    void insert(Rollout r, long now) {
        database.jdbi().useTransaction(h -> {
            if (find(h, r.name()).isPresent()) {
                throw new RolloutException(RolloutException.Kind.CONFLICT, "a rollout named " + r.name()
                        + " exists already", "choose another name ('steward rollout list' shows the names in use)");
            }
            Optional<Rollout> holder = h.createQuery("SELECT " + COLUMNS + " FROM rollouts WHERE alias = :alias"
                            + " AND state IN ('running', 'paused')").bind("alias", r.alias())
                    .map((rs, c) -> rollout(rs)).findFirst();
            if (holder.isPresent()) {
                throw new RolloutException(RolloutException.Kind.CONFLICT, "alias " + r.alias() + " is already being"
                        + " rolled out by " + holder.get().name(), "finish it first: steward rollout promote|rollback|abort "
                        + holder.get().name());
            }
            h.createUpdate("INSERT INTO rollouts (" + COLUMNS + ") VALUES (:id, :name, :alias, :baseline, :candidate,"
                            + " :plan, :gates, :state, :phase, :started, :reason, :owner, :now, :now)")
                    .bind("id", r.id()).bind("name", r.name()).bind("alias", r.alias()).bind("baseline", r.baseline())
                    .bind("candidate", r.candidate()).bind("plan", r.plan().text()).bind("gates", gates(r.gates()))
                    .bind("state", r.state().id()).bind("phase", r.phase()).bind("started", r.phaseStartedAt())
                    .bind("reason", r.reason()).bind("owner", r.owner()).bind("now", now).execute();
            event(h, r.id(), "started", "started: " + r.alias() + " from " + r.baseline() + " to " + r.candidate()
                    + " along " + r.plan().text(), now);
        });
    }

    /** Saves a change of state only if the row is still as {@code expected} says (another process may have moved it). */
    boolean update(Rollout expected, Rollout changed, Event event) {
        return database.jdbi().inTransaction(h -> {
            int rows = h.createUpdate("UPDATE rollouts SET state = :state, phase = :phase, phase_started_at = :started,"
                            + " reason = :reason, updated_at = :now WHERE id = :id AND state = :was AND phase = :wasPhase")
                    .bind("state", changed.state().id()).bind("phase", changed.phase())
                    .bind("started", changed.phaseStartedAt()).bind("reason", changed.reason())
                    .bind("now", changed.updatedAt()).bind("id", changed.id()).bind("was", expected.state().id())
                    .bind("wasPhase", expected.phase()).execute();
            if (rows == 1 && event != null) {
                event(h, changed.id(), event.kind(), event.message(), event.at());
            }
            return rows == 1;
        });
    }

    Optional<Rollout> find(String name) {
        return database.jdbi().withHandle(h -> find(h, name));
    }

    private static Optional<Rollout> find(Handle h, String name) {
        return h.createQuery("SELECT " + COLUMNS + " FROM rollouts WHERE name = :name").bind("name", name)
                .map((rs, c) -> rollout(rs)).findFirst();
    }

    /** Every rollout, the newest first. */
    List<Rollout> all() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM rollouts"
                + " ORDER BY created_at DESC, id DESC").map((rs, c) -> rollout(rs)).list());
    }

    /** The running and paused rollouts. */
    List<Rollout> active() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM rollouts"
                + " WHERE state IN ('running', 'paused')").map((rs, c) -> rollout(rs)).list());
    }

    /** @param taskId the task the call served, or null: verdicts on it and ratings of it count for this arm */
    void addCall(String rolloutId, Call call, String error, String taskId, long at) {
        database.jdbi().useHandle(h -> h.createUpdate("INSERT INTO rollout_calls (id, rollout_id, arm, phase, shadow,"
                        + " ok, latency_ms, cost_micros, agreement, error, task_id, at) VALUES (:id, :rollout, :arm,"
                        + " :phase, :shadow, :ok, :latency, :cost, :agreement, :error, :task, :at)")
                .bind("id", Ids.ordered()).bind("rollout", rolloutId).bind("arm", call.arm())
                .bind("phase", call.phase()).bind("shadow", call.shadow() ? 1 : 0).bind("ok", call.ok() ? 1 : 0)
                .bind("latency", call.latencyMs()).bind("cost", call.costMicros()).bind("agreement", call.agreement())
                .bind("error", error).bind("task", taskId).bind("at", at).execute());
    }

    /** The rollout and arm whose answer (not a shadow copy) last served a task, if a rollout's arm did. */
    Optional<Served> servedBy(String taskId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT rollout_id, arm FROM rollout_calls"
                        + " WHERE task_id = :task AND shadow = 0 ORDER BY at DESC, id DESC").bind("task", taskId)
                .setMaxRows(1).map((rs, c) -> new Served(rs.getString("rollout_id"), rs.getString("arm"))).findFirst());
    }

    record Served(String rolloutId, String arm) {}

    /**
     * Records a verdict or a rating of an arm's answer to a task. A task has one rating (a later one replaces it);
     * every verdict counts.
     */
    void judge(Served served, String taskId, String kind, boolean good, long at) {
        database.jdbi().useTransaction(h -> {
            if (kind.equals("feedback")) {
                h.createUpdate("DELETE FROM rollout_judgements WHERE rollout_id = :r AND task_id = :t AND kind = :k")
                        .bind("r", served.rolloutId()).bind("t", taskId).bind("k", kind).execute();
            }
            h.createUpdate("INSERT INTO rollout_judgements (id, rollout_id, arm, task_id, kind, good, at)"
                            + " VALUES (:id, :r, :arm, :t, :k, :good, :at)").bind("id", Ids.ordered())
                    .bind("r", served.rolloutId()).bind("arm", served.arm()).bind("t", taskId).bind("k", kind)
                    .bind("good", good ? 1 : 0).bind("at", at).execute();
        });
    }

    /** What was said of one arm's answers in a rollout. */
    Judgements judgements(String rolloutId, String arm) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT"
                        + " SUM(CASE WHEN kind = 'supervisor' THEN 1 ELSE 0 END) AS verdicts,"
                        + " SUM(CASE WHEN kind = 'supervisor' THEN good ELSE 0 END) AS passes,"
                        + " SUM(CASE WHEN kind = 'feedback' THEN 1 ELSE 0 END) AS ratings,"
                        + " SUM(CASE WHEN kind = 'feedback' THEN good ELSE 0 END) AS ups"
                        + " FROM rollout_judgements WHERE rollout_id = :r AND arm = :arm")
                .bind("r", rolloutId).bind("arm", arm)
                .map((rs, c) -> new Judgements(rs.getLong("verdicts"), rs.getLong("passes"), rs.getLong("ratings"),
                        rs.getLong("ups"))).one());
    }

    List<Call> calls(String rolloutId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT arm, phase, shadow, ok, latency_ms, cost_micros,"
                        + " agreement FROM rollout_calls WHERE rollout_id = :id ORDER BY at, id").bind("id", rolloutId)
                .map((rs, c) -> new Call(rs.getString("arm"), rs.getInt("phase"), rs.getInt("shadow") == 1,
                        rs.getInt("ok") == 1, rs.getLong("latency_ms"), rs.getLong("cost_micros"),
                        agreement(rs))).list());
    }

    private static Double agreement(ResultSet rs) throws SQLException {
        double value = rs.getDouble("agreement");
        return rs.wasNull() ? null : value;
    }

    void event(String rolloutId, String kind, String message, long at) {
        database.jdbi().useHandle(h -> event(h, rolloutId, kind, message, at));
    }

    private static void event(Handle h, String rolloutId, String kind, String message, long at) {
        h.createUpdate("INSERT INTO rollout_events (id, rollout_id, kind, message, at) VALUES (:id, :r, :k, :m, :at)")
                .bind("id", Ids.ordered()).bind("r", rolloutId).bind("k", kind).bind("m", message).bind("at", at)
                .execute();
    }

    List<Event> events(String rolloutId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT kind, message, at FROM rollout_events"
                        + " WHERE rollout_id = :id ORDER BY at, id").bind("id", rolloutId)
                .map((rs, c) -> new Event(rs.getString("kind"), rs.getString("message"), rs.getLong("at"))).list());
    }

    private static String gates(Gates g) {
        return Json.write(g.json());
    }

    private static Rollout rollout(ResultSet rs) throws SQLException {
        Gates gates = Gates.of(Json.parse(rs.getString("gates")));
        return new Rollout(rs.getString("id"), rs.getString("name"), rs.getString("alias"), rs.getString("baseline"),
                rs.getString("candidate"), RolloutPlan.parse(rs.getString("plan")), gates,
                Rollout.State.of(rs.getString("state")), rs.getInt("phase"), rs.getLong("phase_started_at"),
                rs.getString("reason"), rs.getString("owner"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
