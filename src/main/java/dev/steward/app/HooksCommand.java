package dev.steward.app;

import dev.steward.schedule.Hooks;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "hooks", mixinStandardHelpOptions = true,
        description = {"Signed webhooks: POST /hooks/NAME on 'steward serve' starts a task from the hook's template.",
                "The body must be JSON signed with HMAC-SHA256 and the hook's secret: 'X-Steward-Signature: sha256=HEX'"
                        + " (GitHub's X-Hub-Signature-256 works too). A repeated X-Steward-Delivery (or"
                        + " X-GitHub-Delivery) id is refused."},
        subcommands = {HooksCommand.Add.class, HooksCommand.ListHooks.class, HooksCommand.Remove.class})
final class HooksCommand extends CommandGroup {

    Hooks hooks() {
        return parent.steward().automation().hooks();
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a hook; its secret is printed this once.",
            footer = {"", "Example:  steward hooks add github-issues --task \"Triage: {{payload.issue.title}}\""})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        HooksCommand group;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--task", required = true, paramLabel = "TEMPLATE",
                description = "The task; {{payload.x.y}} takes field x.y of the delivered JSON.")
        String task;

        @Option(names = "--agent", paramLabel = "PROFILE", description = "Work as this agent profile.")
        String agent;

        @Override
        public Integer call() {
            String secret = group.hooks().add(name, task, agent, Steward.LOCAL_USER);
            System.out.println(secret);
            System.err.println("Hook " + name + " takes POST /hooks/" + name + ". The line above is its secret: it is"
                    + " not shown again.");
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every hook (never its secret).")
    static final class ListHooks implements Callable<Integer> {
        @ParentCommand
        HooksCommand group;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            var all = group.hooks().list();
            if (output.json) {
                System.out.println(Json.pretty(all));
            } else if (all.isEmpty()) {
                System.out.println("No hooks yet. Try: steward hooks add NAME --task \"…{{payload.field}}…\"");
            } else {
                all.forEach(h -> System.out.printf("%-20s /hooks/%-20s %s%n", h.name(), h.name(), h.task()));
            }
            return Main.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a hook; its URL answers 404.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        HooksCommand group;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            if (!group.hooks().remove(name)) {
                throw new UsageException("no hook named '" + name + "' (see 'steward hooks list')");
            }
            System.out.println("Removed " + name + ".");
            return Main.OK;
        }
    }
}
