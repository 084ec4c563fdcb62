package dev.steward.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "The project's own benchmarks.",
        subcommands = {MemoryBenchCommand.class, IntentBenchCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
