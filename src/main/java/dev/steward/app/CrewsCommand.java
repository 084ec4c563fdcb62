package dev.steward.app;

import dev.steward.schedule.Crew;
import dev.steward.schedule.CrewRun;
import dev.steward.schedule.Crews;
import dev.steward.schedule.StepResult;
import dev.steward.support.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "crews", mixinStandardHelpOptions = true,
        description = {"Crews: steps run in order by agent profiles toward a goal, bundled (monitoring, maintenance,"
                + " research) or your own YAML in STEWARD_HOME/crews/NAME.yaml.",
                "A step that fails or is unsure goes to your inbox (steward notifications list) instead of being"
                        + " passed off as done."},
        subcommands = {CrewsCommand.ListCrews.class, CrewsCommand.Show.class, CrewsCommand.Run.class})
final class CrewsCommand extends CommandGroup {

    Crews crews() {
        return parent.steward().automation().crews();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every crew.")
    static final class ListCrews implements Callable<Integer> {
        @ParentCommand
        CrewsCommand group;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Crews crews = group.crews();
            if (output.json) {
                System.out.println(Json.pretty(crews.list()));
                return Main.OK;
            }
            for (Crew c : crews.list()) {
                System.out.printf("%-14s %-9s %-14s %s%n", c.name(), crews.bundled(c) ? "bundled" : "yours",
                        c.schedule() == null ? "-" : c.schedule(), c.description());
            }
            return Main.OK;
        }
    }

    /** A subcommand about one crew, named by its only parameter. */
    abstract static class OneCrew implements Callable<Integer> {
        @ParentCommand
        CrewsCommand group;

        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        JsonOption output;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A crew's members and steps.")
    static final class Show extends OneCrew {
        @Override
        public Integer call() {
            Crew c = group.crews().get(name);
            if (output.json) {
                System.out.println(Json.pretty(c));
                return Main.OK;
            }
            System.out.println(c.name() + " — " + c.description());
            c.members().forEach(m -> System.out.println("  member " + m.agent() + ": " + m.goal()));
            int n = 1;
            for (Crew.Step s : c.steps()) {
                String what = s.check() != null ? "check " + s.check() : s.task() != null ? "task: " + s.task()
                        : "research: " + s.research() + " " + c.topics();
                System.out.println("  " + n++ + ". " + s.name() + " (" + what + ")");
            }
            if (c.schedule() != null) {
                System.out.println("  schedule: " + c.schedule() + " (as schedule crew-" + c.name()
                        + "; 'steward schedules resume crew-" + c.name() + "' turns it on)");
            }
            return Main.OK;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a crew now, here.",
            footer = {"", "Exit codes: 0 every step went well, 1 a step failed or is unsure (you were notified)."})
    static final class Run extends OneCrew {
        @Override
        public Integer call() {
            CrewRun run = group.crews().run(name, Steward.LOCAL_USER, "manual");
            if (output.json) {
                System.out.println(Json.pretty(run));
            } else {
                for (StepResult s : run.steps()) {
                    System.out.printf("  %-15s %-16s %s%n", s.outcome().id(), s.step(), s.detail());
                }
                System.out.println(run.ok() ? "Crew " + name + ": done."
                        : "Crew " + name + ": escalated to you (steward notifications list).");
            }
            return run.ok() ? Main.OK : Main.TASK_FAILED;
        }
    }
}
