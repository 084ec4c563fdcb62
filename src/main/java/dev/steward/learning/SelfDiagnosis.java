package dev.steward.learning;

import dev.steward.actions.AuditLog;
import dev.steward.memory.Memory;
import dev.steward.router.Budgets;
import dev.steward.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The deep checks of {@code steward doctor --deep}: what only a look at the data shows — the database's integrity,
 * the search index against the store, the audit chain, providers' error rates, disk, backlogs and budgets near their
 * limit. Each problem says how to fix it.
 */
public final class SelfDiagnosis {
    /** A provider whose error share over the last day reaches this, over at least {@link #MIN_CALLS} calls, is named. */
    static final double ERROR_RATE = 0.2;
    static final int MIN_CALLS = 5;
    static final double BUDGET_NEAR = 0.8;
    static final long LOW_DISK_BYTES = 1024L * 1024 * 1024;

    public enum Level { OK, WARN, FAIL }

    public record Check(Level level, String name, String detail, String fix) {}

    private final Database database;
    private final AuditLog audit;
    private final Memory memory;
    private final Budgets budgets;
    private final Path home;
    private final Clock clock;

    /** @param budgets null when no budget is configured */
    public SelfDiagnosis(Database database, AuditLog audit, Memory memory, Budgets budgets, Path home, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.memory = memory;
        this.budgets = budgets;
        this.home = home;
        this.clock = clock;
    }

    public List<Check> run() {
        List<Check> checks = new ArrayList<>();
        checks.add(integrity());
        checks.add(index());
        checks.add(auditChain());
        checks.addAll(providers());
        checks.add(disk());
        checks.addAll(backlogs());
        checks.addAll(budgets());
        return checks;
    }

    private Check integrity() {
        if (database.dialect() != Database.Dialect.SQLITE) {
            return new Check(Level.OK, "integrity", "PostgreSQL checks its own pages; schema version "
                    + database.schemaVersion(), null);
        }
        List<String> problems = database.jdbi().withHandle(h -> h.createQuery("PRAGMA integrity_check")
                .mapTo(String.class).list());
        return problems.equals(List.of("ok")) ? new Check(Level.OK, "integrity", "every page and index of the database", null)
                : new Check(Level.FAIL, "integrity", String.join("; ", problems.subList(0, Math.min(3, problems.size()))),
                "stop Steward and restore the database from a backup ('steward state import' of the last checkpoint)");
    }

    private Check index() {
        List<Memory.IndexDrift> drift = memory.indexDrift();
        if (drift.isEmpty()) {
            return new Check(Level.OK, "index", "the search index agrees with the facts and episodes", null);
        }
        Memory.IndexDrift first = drift.getFirst();
        return new Check(Level.FAIL, "index", drift.size() + " user(s) differ: " + first.userId() + " has "
                + first.stored() + " memories stored and " + first.indexed() + " indexed",
                "steward memory reindex");
    }

    private Check auditChain() {
        AuditLog.Verification verified = audit.verify();
        return verified.ok() ? new Check(Level.OK, "audit", verified.rows() + " rows, the hash chain is whole", null)
                : new Check(Level.FAIL, "audit", "the audit log was tampered with: " + verified.problem(),
                "someone changed the database outside Steward: find out who, then restore it from a backup "
                        + "('steward audit list' shows the rows around it)");
    }

    private List<Check> providers() {
        long since = clock.millis() - Duration.ofDays(1).toMillis();
        record Rate(String route, int calls, int errors) {}
        List<Rate> rates = database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT provider || '/' || model, COUNT(*), SUM(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END)
                        FROM model_calls WHERE created_at >= :since GROUP BY provider || '/' || model""")
                .bind("since", since).map((rs, ctx) -> new Rate(rs.getString(1), rs.getInt(2), rs.getInt(3))).list());
        List<Check> out = new ArrayList<>();
        for (Rate r : rates) {
            if (r.calls() >= MIN_CALLS && r.errors() >= r.calls() * ERROR_RATE) {
                out.add(new Check(Level.WARN, "provider", String.format(Locale.ROOT, "%s: %d of %d calls failed in "
                        + "the last 24 hours", r.route(), r.errors(), r.calls()),
                        "'steward models' shows its health; 'steward improve analyze' proposes another route"));
            }
        }
        if (out.isEmpty()) {
            out.add(new Check(Level.OK, "provider", rates.isEmpty() ? "no model calls in the last 24 hours"
                    : "no provider failed " + Math.round(ERROR_RATE * 100) + " % of its calls in the last 24 hours", null));
        }
        return out;
    }

    private Check disk() {
        try {
            long free = Files.getFileStore(home).getUsableSpace();
            long total = Files.getFileStore(home).getTotalSpace();
            if (free < LOW_DISK_BYTES || free < total / 20) {
                return new Check(Level.WARN, "disk", free / (1024 * 1024) + " MB free under " + home,
                        "free disk space: the database, the index and backups grow with use");
            }
            return new Check(Level.OK, "disk", free / (1024L * 1024 * 1024) + " GB free under " + home, null);
        } catch (IOException e) {
            return new Check(Level.FAIL, "disk", "cannot read the free space of " + home + ": " + e.getMessage(),
                    "check that STEWARD_HOME is mounted");
        }
    }

    private List<Check> backlogs() {
        long now = clock.millis();
        int approvals = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM approvals "
                + "WHERE status = 'pending' AND expires_at > :now AND created_at < :old")
                .bind("now", now).bind("old", now - Duration.ofHours(1).toMillis()).mapTo(Integer.class).one());
        int queued = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM tasks "
                + "WHERE status = 'queued' AND created_at < :old")
                .bind("old", now - Duration.ofMinutes(10).toMillis()).mapTo(Integer.class).one());
        List<Check> out = new ArrayList<>();
        out.add(approvals == 0 ? new Check(Level.OK, "approvals", "no approval has waited over an hour", null)
                : new Check(Level.WARN, "approvals", approvals + " approval(s) waiting over an hour",
                "steward approvals list, then approve or reject them"));
        out.add(queued == 0 ? new Check(Level.OK, "tasks", "no task queued for over 10 minutes", null)
                : new Check(Level.WARN, "tasks", queued + " task(s) queued for over 10 minutes",
                "is 'steward serve' running? 'steward tasks resume ID' carries one on here"));
        return out;
    }

    private List<Check> budgets() {
        if (budgets == null) {
            return List.of();
        }
        long since = clock.millis() - Duration.ofDays(31).toMillis();
        List<String> users = database.jdbi().withHandle(h -> h.createQuery(
                "SELECT DISTINCT user_id FROM model_calls WHERE created_at >= :since").bind("since", since)
                .mapTo(String.class).list());
        List<Check> out = new ArrayList<>();
        for (String user : users) {
            for (Budgets.Status s : budgets.status(user)) {
                if (s.limitMicros() > 0 && s.spentMicros() >= s.limitMicros() * BUDGET_NEAR) {
                    out.add(new Check(Level.WARN, "budget", String.format(Locale.ROOT, "%s %s budget of %s: $%.2f of "
                                    + "$%.2f spent", s.period(), s.scope(), user, s.spentMicros() / 1e6,
                            s.limitMicros() / 1e6),
                            "raise budgets in steward.yaml or route to cheaper models ('steward stats' shows where it goes)"));
                }
            }
        }
        return out;
    }
}
