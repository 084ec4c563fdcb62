package dev.steward.app;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ParentCommand;

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
}
