package dev.steward.app;

import dev.steward.support.UsageException;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

/** A command that only groups subcommands (tasks, audit, memory, …): run on its own, it shows its usage. */
abstract class CommandGroup implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return Main.OK;
    }

    /** The value of a subcommand's {@code --limit}, which must be at least 1 (picocli cannot say so itself). */
    static int limit(int limit) {
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1");
        }
        return limit;
    }
}
