package dev.steward.app;

import dev.steward.agent.Task;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskStatus;
import dev.steward.learning.Rating;
import dev.steward.support.Json;
import dev.steward.support.Text;
import dev.steward.support.UsageException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = "List and inspect tasks; answer their questions, carry them on, cancel them.",
        subcommands = {TasksCommand.ListTasks.class, TasksCommand.ShowTask.class, TasksCommand.AnswerTask.class,
                TasksCommand.ResumeTask.class, TasksCommand.CancelTask.class, TasksCommand.RateTask.class})
final class TasksCommand extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The newest tasks first.")
    static final class ListTasks implements Callable<Integer> {
        @ParentCommand
        TasksCommand tasks;

        @Option(names = "--limit", defaultValue = "20", description = "How many to show (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--status", description = "Only tasks in this state: ${COMPLETION-CANDIDATES}.",
                completionCandidates = StatusNames.class)
        String status;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            int most = CommandGroup.limit(limit);
            TaskStatus only = parseStatus(status);
            List<Task> list = tasks.parent.steward().tasks().list(most, only);
            if (output.json) {
                System.out.println(Json.pretty(list));
                return Main.OK;
            }
            if (list.isEmpty()) {
                System.out.println("No tasks yet. Try: steward ask \"what can you do?\"");
                return Main.OK;
            }
            System.out.printf("%-10s  %-16s  %-13s  %-14s  %7s  %9s  %-19s  %s%n",
                    "ID", "STATUS", "INTENT", "MODEL", "TOKENS", "COST", "CREATED", "INPUT");
            for (Task t : list) {
                System.out.printf(Locale.ROOT, "%-10s  %-16s  %-13s  %-14s  %7d  %9s  %-19s  %s%n",
                        t.id(), t.status().id(), t.intent() == null ? "-" : t.intent().id(),
                        t.model() == null ? "-" : Text.abbreviate(t.model(), 14), t.tokensIn() + t.tokensOut(),
                        Money.format(t.costMicros()), Output.time(t.createdAt()),
                        Text.abbreviate(t.input().replaceAll("\\s+", " "), 60));
            }
            return Main.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One task with its full event history.")
    static final class ShowTask implements Callable<Integer> {
        @ParentCommand
        TasksCommand tasks;

        @Parameters(paramLabel = "ID", description = "The task's id, or enough of its start to be unique.")
        String id;

        @Option(names = "--json", description = "Print JSON: the task and its events.")
        boolean json;

        @Override
        public Integer call() {
            var store = tasks.parent.steward().tasks();
            Task task = found(tasks.parent.steward(), id);
            List<TaskEvent> events = store.events(task.id());
            if (json) {
                var node = Json.object();
                node.set("task", Json.mapper().valueToTree(task));
                node.set("events", Json.mapper().valueToTree(events));
                System.out.println(Json.pretty(node));
                return Main.OK;
            }
            System.out.println(Output.task(task));
            System.out.println("Events:");
            for (TaskEvent e : events) {
                System.out.printf("  %3d  %s  %-15s %-10s %s%n", e.seq(), Output.time(e.createdAt()),
                        e.type().id(), e.role() == null ? "" : e.role().id(), e.message().replace("\n", "\n" + " ".repeat(54)));
            }
            return Main.OK;
        }
    }

    @Command(name = "answer", mixinStandardHelpOptions = true,
            description = "Answer the question a task is waiting on; it carries on here, with its progress shown.",
            footer = {"", "Exit codes as for 'steward ask'.", "",
                    "Example:  steward tasks answer 0k3f9x2m1a \"the March invoices\""})
    static final class AnswerTask implements Callable<Integer> {
        @ParentCommand
        TasksCommand tasks;

        @Parameters(index = "0", paramLabel = "ID", description = "The task's id, or enough of its start to be unique.")
        String id;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "Your answer.")
        List<String> words;

        @Mixin
        TaskRunOptions run;

        @Override
        public Integer call() {
            Steward steward = tasks.parent.steward();
            Task task = found(steward, id);
            if (task.status() != TaskStatus.WAITING_INPUT) {
                throw new UsageException("task " + task.id() + " is " + task.status().id()
                        + ", not waiting for an answer (see 'steward tasks show " + task.id() + "')");
            }
            return run.runHere(progress -> steward.runner().answer(Steward.LOCAL_USER, task.id(),
                    String.join(" ", words).strip(), progress));
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = {"Carry on a task here: one whose approval was decided, or one a stopped process left.",
                    "A task still waiting for a person says what it waits for."},
            footer = {"", "Exit codes as for 'steward ask'."})
    static final class ResumeTask implements Callable<Integer> {
        @ParentCommand
        TasksCommand tasks;

        @Parameters(paramLabel = "ID", description = "The task's id, or enough of its start to be unique.")
        String id;

        @Mixin
        TaskRunOptions run;

        @Override
        public Integer call() {
            Steward steward = tasks.parent.steward();
            Task task = found(steward, id);
            if (task.status().finished()) {
                throw new UsageException("task " + task.id() + " has already ended (" + task.status().id() + ")");
            }
            return run.runHere(progress -> steward.runner().resume(Steward.LOCAL_USER, task.id(), progress));
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = {"Cancel a task: it stops, and what it did that can be undone is undone.",
                    "A task running in another process (steward serve) stops within a second or two."})
    static final class CancelTask implements Callable<Integer> {
        @ParentCommand
        TasksCommand tasks;

        @Parameters(paramLabel = "ID", description = "The task's id, or enough of its start to be unique.")
        String id;

        @Override
        public Integer call() {
            Steward steward = tasks.parent.steward();
            Task task = found(steward, id);
            if (task.status().finished() || !steward.runner().cancel(Steward.LOCAL_USER, task.id())) {
                throw new UsageException("task " + task.id() + " has already ended (" + task.status().id() + ")");
            }
            TaskStatus now = steward.tasks().find(task.id()).orElseThrow().status();
            System.out.println(now == TaskStatus.CANCELLED ? "Cancelled " + task.id() + "."
                    : "Asked the process running " + task.id() + " to cancel it; 'steward tasks show " + task.id()
                    + "' shows when it has.");
            return Main.OK;
        }
    }

    @Command(name = "rate", mixinStandardHelpOptions = true,
            description = "Say what you thought of a task's answer; 'steward improve analyze' learns from ratings.",
            footer = {"", "Example:  steward tasks rate 0k3f9x2m1a down \"too long, use bullet points\""})
    static final class RateTask implements Callable<Integer> {
        @ParentCommand
        TasksCommand tasks;

        @Parameters(index = "0", paramLabel = "ID", description = "The task's id, or enough of its start to be unique.")
        String id;

        @Parameters(index = "1", paramLabel = "up|down", description = "Your rating.")
        String rating;

        @Parameters(index = "2..*", arity = "0..*", paramLabel = "WHY", description = "What was good or wrong.")
        List<String> why;

        @Override
        public Integer call() {
            Steward steward = tasks.parent.steward();
            Rating parsed;
            try {
                parsed = Rating.parse(rating);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            Task task = found(steward, id);
            steward.learning().rate(task.id(), Steward.LOCAL_USER, parsed, why == null ? null : String.join(" ", why));
            System.out.println("Rated " + task.id() + " " + parsed.id() + ".");
            return Main.OK;
        }
    }

    static Task found(Steward steward, String id) {
        return steward.tasks().find(id).orElseThrow(() -> new UsageException(
                "no task '" + id + "' (see 'steward tasks list' for ids; a prefix must match exactly one task)"));
    }

    static TaskStatus parseStatus(String status) {
        if (status == null) {
            return null;
        }
        try {
            return TaskStatus.fromId(status);
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown status '" + status + "'; use one of: " + String.join(", ", new StatusNames()));
        }
    }

    static final class StatusNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(TaskStatus.values()).map(TaskStatus::id).collect(Collectors.toList()).iterator();
        }
    }
}
