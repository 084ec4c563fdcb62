package dev.steward.app;

import dev.steward.memory.MemoryUpkeep;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code steward memory upkeep}: duplicates, conflicts, stale facts, orphan entities, index drift, old episodes. */
@Command(name = "upkeep", mixinStandardHelpOptions = true, description = {"Find facts stored twice, slots with two"
        + " current values, facts not confirmed or used for a long time, entities nothing names any more, and a search"
        + " index that disagrees with the database, and weeks of episodes older than --summarise-days. A dry run"
        + " unless --apply.",
        "--apply closes facts into their history (never deletes them), removes orphan entities, rebuilds the index"
                + " and replaces each old week of episodes by one dated summary (written by your model, or from the"
                + " most informative sentences offline); every change is journalled, and --undo RUN puts a run back."
                + " Contradictions wait for you (steward memory resolve)."},
        footer = {"", "Examples:  steward memory upkeep", "           steward memory upkeep --apply --stale-days 90 --summarise-days 60",
                "           steward memory upkeep --undo k3j9x2m4qa"})
final class MemoryUpkeepCommand implements Callable<Integer> {
    @ParentCommand
    MemoryCommand memory;

    @Mixin
    JsonOption output;

    @Option(names = "--apply", description = "Make the changes (otherwise only report them).")
    boolean apply;

    @Option(names = "--stale-days", paramLabel = "N", description = "A fact not confirmed or used for N days is stale"
            + " (default 120).")
    Integer staleDays;

    @Option(names = "--summarise-days", paramLabel = "N", description = "Episodes older than N days are summarised,"
            + " a week at a time (default 90).")
    Integer summariseDays;

    @Option(names = "--undo", paramLabel = "RUN", description = "Put back the changes of an earlier --apply run.")
    String undo;

    @Override
    public Integer call() {
        if (undo != null && apply) {
            throw new UsageException("--undo and --apply cannot go together: undo a run, then check again");
        }
        if (staleDays != null && staleDays < 1) {
            throw new UsageException("--stale-days must be at least 1, not " + staleDays);
        }
        if (summariseDays != null && summariseDays < 1) {
            throw new UsageException("--summarise-days must be at least 1, not " + summariseDays);
        }
        MemoryUpkeep upkeep = memory.parent.steward().memoryUpkeep();
        if (undo != null) {
            MemoryUpkeep.Undone undone;
            try {
                undone = upkeep.undo(Steward.LOCAL_USER, undo.strip());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            System.out.println(output.json ? Json.pretty(undone) : "Put back " + undone.restored() + " change"
                    + (undone.restored() == 1 ? "" : "s") + " of run " + undone.runId()
                    + (undone.skipped() == 0 ? "." : "; " + undone.skipped() + " changed again since, left as they are."));
            return Main.OK;
        }
        MemoryUpkeep.Ages ages = new MemoryUpkeep.Ages(
                staleDays == null ? MemoryUpkeep.DEFAULT_STALE_AFTER : Duration.ofDays(staleDays),
                summariseDays == null ? MemoryUpkeep.DEFAULT_SUMMARISE_AFTER : Duration.ofDays(summariseDays));
        MemoryUpkeep.Report report = apply ? upkeep.apply(Steward.LOCAL_USER, ages)
                : upkeep.check(Steward.LOCAL_USER, ages);
        System.out.println(output.json ? Json.pretty(report) : report.summary());
        return Main.OK;
    }
}
