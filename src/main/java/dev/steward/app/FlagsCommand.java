package dev.steward.app;

import dev.steward.rollout.FeatureFlags;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "flags", mixinStandardHelpOptions = true,
        description = "Feature flags: on, off, a sticky share of users, or listed users; read on every request.",
        subcommands = {FlagsCommand.ListFlags.class, FlagsCommand.Set.class, FlagsCommand.Remove.class})
final class FlagsCommand extends CommandGroup {

    FeatureFlags flags() {
        Steward steward = parent.steward();
        return new FeatureFlags(steward.database(), java.time.Clock.systemUTC());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every flag and how it is set.")
    static final class ListFlags implements Callable<Integer> {
        @ParentCommand
        FlagsCommand group;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            List<FeatureFlags.Flag> all = group.flags().list();
            if (json.json) {
                System.out.println(Json.pretty(Json.mapper().valueToTree(all.stream().map(FeatureFlags.Flag::json).toList())));
            } else if (all.isEmpty()) {
                System.out.println("No flags yet; 'steward flags set NAME on' makes one.");
            } else {
                all.forEach(f -> System.out.printf("%-30s %s%n", f.name(), f.describe()));
            }
            return Main.OK;
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, description = "Set a flag: on, off, P%% or --users a,b.",
            footer = {"", "Examples:  steward flags set new-planner 10%%", "           steward flags set new-planner"
                    + " --users alice,bob"})
    static final class Set implements Callable<Integer> {
        @ParentCommand
        FlagsCommand group;

        @Parameters(index = "0", paramLabel = "NAME", description = "The flag.")
        String name;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "on, off or a share like 25%%.")
        String value;

        @Option(names = "--users", split = ",", paramLabel = "USERS", description = "On for these users only.")
        List<String> users;

        @Override
        public Integer call() {
            if (value == null && (users == null || users.isEmpty())) {
                throw new UsageException("give a value (" + FeatureFlags.SPEC + ")");
            }
            FeatureFlags.Flag flag = RolloutCommand.handled(() -> group.flags().set(name, value, users));
            System.out.println("Flag " + flag.name() + " is " + flag.describe() + ".");
            return Main.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a flag (it reads as off).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        FlagsCommand group;

        @Parameters(paramLabel = "NAME", description = "The flag.")
        String name;

        @Override
        public Integer call() {
            if (!group.flags().remove(name)) {
                throw new UsageException("no flag named " + name + "; 'steward flags list' shows them");
            }
            System.out.println("Removed flag " + name + ".");
            return Main.OK;
        }
    }
}
