package dev.steward.skills;

import dev.steward.store.Database;
import dev.steward.support.Ids;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The rows of skills and skill_runs: pins, switches, grants and every run. */
final class SkillStore {
    /** What Steward keeps about one skill; the files themselves stay in the skill's folder. */
    record Pin(String name, String origin, String source, String hash, boolean enabled, boolean networkApproved,
               long validatedAt, long installedAt) {}

    private final Database database;

    SkillStore(Database database) {
        this.database = database;
    }

    Optional<Pin> pin(String name) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM skills WHERE name = :name")
                .bind("name", name).map((rs, ctx) -> new Pin(rs.getString("name"), rs.getString("origin"),
                        rs.getString("source"), rs.getString("hash"), rs.getInt("enabled") == 1,
                        rs.getInt("network_approved") == 1, rs.getLong("validated_at"), rs.getLong("installed_at")))
                .findOne());
    }

    Map<String, Pin> pins() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM skills")
                .map((rs, ctx) -> new Pin(rs.getString("name"), rs.getString("origin"), rs.getString("source"),
                        rs.getString("hash"), rs.getInt("enabled") == 1, rs.getInt("network_approved") == 1,
                        rs.getLong("validated_at"), rs.getLong("installed_at"))).list())
                .stream().collect(Collectors.toMap(Pin::name, Function.identity()));
    }

    /** Pins the skill at {@code hash}: a new hash takes back an earlier network approval; enabled stays as it was. */
    void pin(String name, String origin, String source, String hash, long now) {
        database.jdbi().useTransaction(h -> {
            Optional<String> old = h.createQuery("SELECT hash FROM skills WHERE name = :name").bind("name", name)
                    .mapTo(String.class).findOne();
            if (old.isEmpty()) {
                h.createUpdate("""
                                INSERT INTO skills (name, origin, source, hash, enabled, network_approved, validated_at,
                                                    installed_at)
                                VALUES (:name, :origin, :source, :hash, 1, 0, :now, :now)""")
                        .bind("name", name).bind("origin", origin).bind("source", source).bind("hash", hash)
                        .bind("now", now).execute();
            } else {
                h.createUpdate("""
                                UPDATE skills SET origin = :origin, source = COALESCE(:source, source), hash = :hash,
                                       validated_at = :now,
                                       network_approved = CASE WHEN hash = :hash THEN network_approved ELSE 0 END
                                WHERE name = :name""")
                        .bind("name", name).bind("origin", origin).bind("source", source).bind("hash", hash)
                        .bind("now", now).execute();
            }
        });
    }

    void remove(String name) {
        database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM skills WHERE name = :name").bind("name", name)
                .execute());
    }

    boolean setEnabled(String name, boolean enabled) {
        return database.jdbi().withHandle(h -> h.createUpdate("UPDATE skills SET enabled = :on WHERE name = :name")
                .bind("on", enabled ? 1 : 0).bind("name", name).execute()) > 0;
    }

    void approveNetwork(String name) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE skills SET network_approved = 1 WHERE name = :name")
                .bind("name", name).execute());
    }

    void recordRun(String skill, String script, String userId, String taskId, long startedAt, long durationMs,
                   Integer exitCode, String error) {
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO skill_runs (id, skill, script, user_id, task_id, started_at, duration_ms, exit_code,
                                                ok, error)
                        VALUES (:id, :skill, :script, :user, :task, :started, :duration, :exit, :ok, :error)""")
                .bind("id", Ids.next()).bind("skill", skill).bind("script", script).bind("user", userId)
                .bind("task", taskId).bind("started", startedAt).bind("duration", durationMs).bind("exit", exitCode)
                .bind("ok", error == null ? 1 : 0).bind("error", error).execute());
    }

    /** The stats of every skill that has run, by name. */
    Map<String, SkillStats> stats() {
        List<SkillStats> all = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT skill, COUNT(*) AS runs, SUM(ok) AS successes, AVG(duration_ms) AS mean,
                               MAX(started_at) AS last_run,
                               (SELECT r.error FROM skill_runs r WHERE r.skill = s.skill AND r.ok = 0
                                ORDER BY r.started_at DESC, r.id DESC LIMIT 1) AS last_error
                        FROM skill_runs s GROUP BY skill""")
                .map((rs, ctx) -> {
                    long runs = rs.getLong("runs");
                    long successes = rs.getLong("successes");
                    return new SkillStats(rs.getString("skill"), runs, successes, runs - successes,
                            Math.round(rs.getDouble("mean")), rs.getString("last_error"), rs.getLong("last_run"));
                }).list());
        return all.stream().collect(Collectors.toMap(SkillStats::skill, Function.identity()));
    }
}
