package dev.steward.schedule;

import dev.steward.actions.AuditLog;
import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.memory.Memory;
import dev.steward.router.Budgets;
import dev.steward.router.Router;
import dev.steward.store.Database;
import dev.steward.support.Errors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;

/**
 * The built-in checks crews run, all offline: they read Steward's own records and files and say what they found.
 */
final class CrewChecks {
    /** Backups kept in STEWARD_HOME/backups; older ones are deleted. */
    static final int BACKUPS_KEPT = 7;
    /** A budget spent this far counts as near its limit. */
    static final double BUDGET_NEAR = 0.8;
    static final long DISK_LOW_BYTES = 1L << 30;
    static final long DAY_MILLIS = 86_400_000L;

    private final Path home;
    private final Database database;
    private final Supplier<AuditLog> audit;
    private final Supplier<Memory> memory;
    private final TaskStore tasks;
    private final Supplier<Router> router;
    private final Clock clock;

    CrewChecks(Path home, Database database, Supplier<AuditLog> audit, Supplier<Memory> memory, TaskStore tasks,
               Supplier<Router> router, Clock clock) {
        this.home = home;
        this.database = database;
        this.audit = audit;
        this.memory = memory;
        this.tasks = tasks;
        this.router = router;
        this.clock = clock;
    }

    static final List<String> NAMES = List.of("audit_verify", "database_check", "index_check", "backup",
            "memory_upkeep", "provider_health", "error_rate", "budgets", "disk", "failed_tasks", "model_available");

    StepResult run(String step, String check, String owner) {
        try {
            return switch (check) {
                case "audit_verify" -> auditVerify(step);
                case "database_check" -> databaseCheck(step);
                case "index_check" -> indexCheck(step);
                case "backup" -> backup(step);
                case "memory_upkeep" -> memoryUpkeep(step, owner);
                case "provider_health" -> providerHealth(step);
                case "error_rate" -> errorRate(step);
                case "budgets" -> budgets(step, owner);
                case "disk" -> disk(step);
                case "failed_tasks" -> failedTasks(step);
                case "model_available" -> modelAvailable(step);
                default -> StepResult.failed(step, "unknown check '" + check + "'; checks: " + String.join(", ", NAMES));
            };
        } catch (RuntimeException e) {
            return StepResult.failed(step, check + " failed: " + Errors.firstLine(Errors.root(e)));
        }
    }

    private StepResult auditVerify(String step) {
        AuditLog.Verification v = audit.get().verify();
        return v.ok() ? StepResult.ok(step, "audit chain intact (" + v.rows() + " rows)")
                : StepResult.failed(step, "audit chain broken at row " + v.badSeq() + ": " + v.problem());
    }

    private StepResult databaseCheck(String step) {
        if (database.dialect() == Database.Dialect.SQLITE) {
            String result = database.jdbi().withHandle(h -> h.createQuery("PRAGMA quick_check")
                    .mapTo(String.class).list()).stream().findFirst().orElse("no answer");
            return result.equals("ok") ? StepResult.ok(step, "SQLite quick_check ok, schema " + database.schemaVersion())
                    : StepResult.failed(step, "SQLite quick_check: " + result);
        }
        return StepResult.ok(step, "PostgreSQL answers, schema " + database.schemaVersion());
    }

    private StepResult indexCheck(String step) throws RuntimeException {
        Path indexes = home.resolve("index");
        if (!Files.isDirectory(indexes)) {
            return StepResult.ok(step, "no memory index yet (made on first use)");
        }
        StringBuilder found = new StringBuilder();
        try (Stream<Path> dirs = Files.list(indexes)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                try (var directory = FSDirectory.open(dir)) {
                    if (!DirectoryReader.indexExists(directory)) {
                        continue;
                    }
                    try (DirectoryReader reader = DirectoryReader.open(directory)) {
                        found.append(found.isEmpty() ? "" : ", ").append(dir.getFileName()).append(": ")
                                .append(reader.numDocs()).append(" documents");
                    }
                }
            }
        } catch (IOException e) {
            return StepResult.failed(step, "cannot read the memory index: " + e.getMessage()
                    + "; 'steward memory reindex' rebuilds it from the database");
        }
        return StepResult.ok(step, found.isEmpty() ? "no memory index yet" : "memory index readable (" + found + ")");
    }

    private StepResult backup(String step) {
        if (database.dialect() != Database.Dialect.SQLITE) {
            return new StepResult(step, StepResult.Outcome.SKIPPED,
                    "PostgreSQL is backed up with pg_dump (docs/operations.md), not by Steward", null);
        }
        try {
            Path dir = Files.createDirectories(home.resolve("backups"));
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(java.time.ZoneOffset.UTC)
                    .format(clock.instant());
            Path file = dir.resolve("steward-" + stamp + ".db");
            Files.deleteIfExists(file);
            database.jdbi().useHandle(h -> h.execute("VACUUM INTO '" + file.toString().replace("'", "''") + "'"));
            List<Path> all;
            try (Stream<Path> list = Files.list(dir)) {
                all = list.filter(p -> p.getFileName().toString().matches("steward-\\d{8}-\\d{6}\\.db"))
                        .sorted(Comparator.reverseOrder()).toList();
            }
            for (Path old : all.subList(Math.min(BACKUPS_KEPT, all.size()), all.size())) {
                Files.deleteIfExists(old);
            }
            return StepResult.ok(step, "backed up to " + file + " (" + Files.size(file) / 1024 + " KiB; keeping the "
                    + BACKUPS_KEPT + " newest)");
        } catch (IOException e) {
            return StepResult.failed(step, "backup failed: " + e.getMessage() + "; check free space in " + home);
        }
    }

    private StepResult memoryUpkeep(String step, String owner) {
        Memory m = memory.get();
        int expired = m.expire(owner);
        Map<String, Long> stats = m.stats(owner);
        return StepResult.ok(step, "memory: " + stats + (expired > 0 ? "; " + expired + " unused facts expired" : ""));
    }

    private StepResult providerHealth(String step) {
        Router r = router.get();
        if (r.offline()) {
            return StepResult.ok(step, "no provider configured: Steward runs offline");
        }
        return StepResult.ok(step, r.routes().size() + " models routable: " + String.join(", ",
                r.routes().stream().map(Object::toString).limit(5).toList()));
    }

    private List<Task> lastDay() {
        long since = clock.millis() - DAY_MILLIS;
        return tasks.list(1000, null).stream().filter(t -> t.createdAt() >= since).toList();
    }

    private StepResult errorRate(String step) {
        List<Task> day = lastDay();
        long failed = day.stream().filter(t -> t.status() == TaskStatus.FAILED).count();
        if (day.isEmpty()) {
            return StepResult.ok(step, "no tasks in the last 24 h");
        }
        double rate = (double) failed / day.size();
        String text = String.format(java.util.Locale.ROOT, "%d of %d tasks failed in the last 24 h (%.0f%%)", failed,
                day.size(), rate * 100);
        return rate > 0.2 ? StepResult.failed(step, text) : StepResult.ok(step, text);
    }

    private StepResult failedTasks(String step) {
        List<Task> failed = lastDay().stream().filter(t -> t.status() == TaskStatus.FAILED).limit(5).toList();
        if (failed.isEmpty()) {
            return StepResult.ok(step, "no failed tasks in the last 24 h");
        }
        return new StepResult(step, StepResult.Outcome.LOW_CONFIDENCE, "failed in the last 24 h: " + String.join("; ",
                failed.stream().map(t -> t.id() + " (" + (t.source() == null ? "?" : t.source()) + "): "
                        + (t.error() == null ? "-" : t.error())).toList()), null);
    }

    private StepResult budgets(String step, String owner) {
        var budgets = router.get().budgets();
        if (budgets.isEmpty()) {
            return StepResult.ok(step, "no budgets set");
        }
        List<Budgets.Status> near = budgets.get().status(owner).stream()
                .filter(s -> s.limitMicros() > 0 && s.spentMicros() >= s.limitMicros() * BUDGET_NEAR).toList();
        return near.isEmpty() ? StepResult.ok(step, "every budget below " + (int) (BUDGET_NEAR * 100) + "%")
                : new StepResult(step, StepResult.Outcome.LOW_CONFIDENCE, "near the limit: " + String.join(", ",
                near.stream().map(s -> s.scope() + " " + s.period() + " " + s.spentMicros() / 10_000 / 100.0 + " of "
                        + s.limitMicros() / 10_000 / 100.0 + " USD").toList()), null);
    }

    private StepResult disk(String step) {
        try {
            long free = Files.getFileStore(home).getUsableSpace();
            String text = free / (1L << 20) + " MiB free where STEWARD_HOME is";
            return free < DISK_LOW_BYTES ? StepResult.failed(step, text + "; free some space") : StepResult.ok(step, text);
        } catch (IOException e) {
            return StepResult.failed(step, "cannot read free space: " + e.getMessage());
        }
    }

    private StepResult modelAvailable(String step) {
        return router.get().offline()
                ? StepResult.failed(step, "this needs a language model, and none is configured: add a provider to"
                + " steward.yaml (see 'steward doctor'), then run the crew again")
                : StepResult.ok(step, "a model is configured");
    }
}
