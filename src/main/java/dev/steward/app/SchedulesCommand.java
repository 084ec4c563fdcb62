package dev.steward.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.steward.schedule.AutomationRun;
import dev.steward.schedule.Schedule;
import dev.steward.schedule.Schedules;
import dev.steward.support.Json;
import dev.steward.support.Text;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "schedules", mixinStandardHelpOptions = true,
        description = {"Tasks that start on a cron. 'steward serve' runs them; a schedule added here while serve runs"
                + " is picked up within its poll (automation.poll_seconds, default 5).",
                "Cron: five fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly,"
                        + " @monthly, @yearly. A task of '@briefing' delivers the briefing; '@crew NAME' runs a crew."},
        subcommands = {SchedulesCommand.Add.class, SchedulesCommand.ListSchedules.class, SchedulesCommand.Show.class,
                SchedulesCommand.Run.class, SchedulesCommand.Pause.class, SchedulesCommand.Resume.class,
                SchedulesCommand.Remove.class, SchedulesCommand.History.class},
        footer = {"", "Example:  steward schedules add inbox-digest --cron \"0 7 * * 1-5\" --tz Europe/Berlin \\",
                "            --task \"Summarise yesterday's failed tasks\" --notify"})
final class SchedulesCommand extends CommandGroup {

    Schedules schedules() {
        return parent.steward().automation().schedules();
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a schedule (or replace one of that name).")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand group;

        @Parameters(paramLabel = "NAME", description = "Lower-case letters, digits, '.', '_' and '-'.")
        String name;

        @Option(names = "--cron", required = true, paramLabel = "EXPR", description = "When: \"0 7 * * *\", @daily, …")
        String cron;

        @Option(names = "--task", required = true, paramLabel = "TEXT", description = "What to ask, as with 'ask'.")
        String task;

        @Option(names = "--agent", paramLabel = "PROFILE", description = "Work as this agent profile.")
        String agent;

        @Option(names = "--tz", paramLabel = "ZONE", description = "Time zone of the cron (default: this machine's).")
        String zone;

        @Option(names = "--notify", description = "Send each result to the inbox and notification channels.")
        boolean notifyOwner;

        @Override
        public Integer call() {
            Schedules schedules = group.schedules();
            Schedule s = schedules.add(name, cron, task, agent, zone, notifyOwner, Steward.LOCAL_USER);
            System.out.println("Schedule " + s.name() + ": " + s.cron().description() + " (" + s.cron().zone().getId()
                    + "); next run " + schedules.json(s).path("next_run").asText());
            System.out.println("'steward serve' runs it; 'steward schedules run " + s.name() + "' runs it now.");
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every schedule with its next and last run.")
    static final class ListSchedules implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand group;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Schedules schedules = group.schedules();
            List<Schedule> all = schedules.all();
            if (output.json) {
                ArrayNode rows = Json.mapper().createArrayNode();
                all.forEach(s -> rows.add(schedules.json(s)));
                System.out.println(Json.pretty(rows));
                return Main.OK;
            }
            if (all.isEmpty()) {
                System.out.println("No schedules yet. Try: steward schedules add morning --cron @daily --task \"…\"");
                return Main.OK;
            }
            System.out.printf("%-20s  %-14s  %-28s  %-25s  %-10s  %s%n", "NAME", "CRON", "WHEN", "NEXT RUN",
                    "LAST", "TASK");
            for (Schedule s : all) {
                var row = schedules.json(s);
                System.out.printf("%-20s  %-14s  %-28s  %-25s  %-10s  %s%n", s.name(), s.cron().expression(),
                        Text.abbreviate(s.cron().description(), 28), s.paused() ? "paused" : row.path("next_run").asText(),
                        row.path("last_status").asText("-"), Text.abbreviate(s.task(), 40));
            }
            return Main.OK;
        }
    }

    /** A subcommand about one schedule, named by its only parameter. */
    abstract static class OneSchedule implements Callable<Integer> {
        @ParentCommand
        SchedulesCommand group;

        @Parameters(paramLabel = "NAME")
        String name;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One schedule and its recent runs.")
    static final class Show extends OneSchedule {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Schedules schedules = group.schedules();
            var row = schedules.json(schedules.get(name));
            row.set("history", Json.mapper().valueToTree(schedules.history(name, 10)));
            if (output.json) {
                System.out.println(Json.pretty(row));
                return Main.OK;
            }
            row.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("history")) {
                    System.out.printf("  %-12s %s%n", f.getKey() + ":", f.getValue().isNull() ? "-" : f.getValue().asText());
                }
            });
            printRuns(schedules.history(name, 10));
            return Main.OK;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a schedule now, here, and wait for its task; its cron times stay as they are.",
            footer = {"", "Exit codes: 0 its task finished, 1 it failed or waits for a person."})
    static final class Run extends OneSchedule {
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            AutomationRun run = group.schedules().runNow(name);
            if (output.json) {
                System.out.println(Json.pretty(run));
            } else {
                System.out.println("Ran " + name + ": " + run.status() + (run.taskId() == null ? "" : " (task "
                        + run.taskId() + ")"));
                if (run.summary() != null) {
                    System.out.println(run.summary());
                }
            }
            return run.status().equals("done") ? Main.OK : Main.TASK_FAILED;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop a schedule from running until resumed.")
    static final class Pause extends OneSchedule {
        @Override
        public Integer call() {
            group.schedules().pause(name);
            System.out.println("Paused " + name + ".");
            return Main.OK;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Let a paused schedule run again.")
    static final class Resume extends OneSchedule {
        @Override
        public Integer call() {
            Schedules schedules = group.schedules();
            Schedule s = schedules.resume(name);
            System.out.println("Resumed " + name + "; next run " + schedules.json(s).path("next_run").asText() + ".");
            return Main.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a schedule (its history stays).")
    static final class Remove extends OneSchedule {
        @Override
        public Integer call() {
            group.schedules().remove(name);
            System.out.println("Removed " + name + ".");
            return Main.OK;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "A schedule's runs, newest first.")
    static final class History extends OneSchedule {
        @Option(names = "--limit", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            List<AutomationRun> runs = group.schedules().history(name, CommandGroup.limit(limit));
            if (output.json) {
                System.out.println(Json.pretty(runs));
            } else if (runs.isEmpty()) {
                System.out.println("No runs of " + name + " yet.");
            } else {
                printRuns(runs);
            }
            return Main.OK;
        }
    }

    static void printRuns(List<AutomationRun> runs) {
        for (AutomationRun r : runs) {
            System.out.printf("  %s  %-8s  %-16s  %-10s  %s%n", Output.time(r.startedAt()), r.trigger(), r.status(),
                    r.taskId() == null ? "-" : r.taskId(),
                    r.summary() == null ? "" : Text.abbreviate(r.summary().replaceAll("\\s+", " "), 60));
        }
    }
}
