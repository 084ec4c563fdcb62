package dev.steward.app;

import dev.steward.learning.Gap;
import dev.steward.support.Json;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "gaps", mixinStandardHelpOptions = true,
        description = "What users asked for that Steward could not do (tools it lacks, requests it declined), "
                + "grouped and counted, with what would fill each gap.")
final class GapsCommand implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        List<Gap> gaps = parent.steward().learning().gaps();
        if (output.json) {
            System.out.println(Json.pretty(gaps));
            return Main.OK;
        }
        if (gaps.isEmpty()) {
            System.out.println("No capability gaps in the analysis window.");
            return Main.OK;
        }
        for (Gap g : gaps) {
            System.out.println(g.name() + " — asked " + g.count() + "×");
            g.examples().forEach(e -> System.out.println("    \"" + e + "\""));
            System.out.println("    fill it with: " + g.suggestion());
        }
        return Main.OK;
    }
}
