package dev.steward.app;

import dev.steward.agent.Task;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskStatus;
import dev.steward.support.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = "List and inspect tasks.",
        subcommands = {TasksCommand.ListTasks.class, TasksCommand.ShowTask.class})
final class TasksCommand extends CommandGroup {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The newest tasks first.")
    static final class ListTasks implements Callable<Integer> {
        @ParentCommand
        TasksCommand tasks;

        @Option(names = "--limit", defaultValue = "20", description = "How many to show (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--status", description = "Only tasks in this state: ${COMPLETION-CANDIDATES}.",
                completionCandidates = StatusNames.class)
        String status;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() {
            if (limit < 1) {
                throw new UsageException("--limit must be at least 1");
            }
            TaskStatus only = parseStatus(status);
            List<Task> list = tasks.parent.steward().tasks().list(limit, only);
            if (json) {
                System.out.println(Json.pretty(list));
                return Main.OK;
            }
            if (list.isEmpty()) {
                System.out.println("No tasks yet. Try: steward ask \"what can you do?\"");
                return Main.OK;
            }
            System.out.printf("%-10s  %-9s  %-13s  %-14s  %7s  %9s  %-19s  %s%n",
                    "ID", "STATUS", "INTENT", "MODEL", "TOKENS", "COST", "CREATED", "INPUT");
            for (Task t : list) {
                System.out.printf(Locale.ROOT, "%-10s  %-9s  %-13s  %-14s  %7d  %9s  %-19s  %s%n",
                        t.id(), t.status().id(), t.intent() == null ? "-" : t.intent().id(),
                        t.model() == null ? "-" : abbreviate(t.model(), 14), t.tokensIn() + t.tokensOut(),
                        Money.format(t.costMicros()), TIME.format(Instant.ofEpochMilli(t.createdAt())),
                        abbreviate(t.input().replaceAll("\\s+", " "), 60));
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
            Task task = store.find(id).orElseThrow(() -> new UsageException(
                    "no task '" + id + "' (see 'steward tasks list' for ids; a prefix must match exactly one task)"));
            List<TaskEvent> events = store.events(task.id());
            if (json) {
                var node = Json.object();
                node.set("task", Json.mapper().valueToTree(task));
                node.set("events", Json.mapper().valueToTree(events));
                System.out.println(Json.pretty(node));
                return Main.OK;
            }
            System.out.println(describe(task));
            System.out.println("Events:");
            for (TaskEvent e : events) {
                System.out.printf("  %3d  %s  %-11s %-10s %s%n", e.seq(), TIME.format(Instant.ofEpochMilli(e.createdAt())),
                        e.type(), e.role() == null ? "" : e.role(), e.message());
            }
            return Main.OK;
        }
    }

    static String describe(Task t) {
        StringBuilder text = new StringBuilder();
        text.append("Task ").append(t.id()).append(" — ").append(t.status().id()).append('\n');
        text.append("  Input:   ").append(t.input()).append('\n');
        text.append("  Intent:  ").append(t.intent() == null ? "-" : t.intent().id()).append('\n');
        text.append("  Model:   ").append(t.model() == null ? "-" : t.model()).append('\n');
        text.append("  Tokens:  ").append(t.tokensIn()).append(" in, ").append(t.tokensOut()).append(" out; cost ")
                .append(Money.format(t.costMicros())).append('\n');
        text.append("  Created: ").append(TIME.format(Instant.ofEpochMilli(t.createdAt())));
        if (t.durationMs() != null) {
            text.append(" (took ").append(t.durationMs()).append(" ms)");
        }
        text.append('\n');
        if (t.answer() != null) {
            text.append("  Answer:  ").append(t.answer().replace("\n", "\n           ")).append('\n');
        }
        if (t.error() != null) {
            text.append("  Error:   ").append(t.error()).append('\n');
        }
        return text.toString();
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

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static final class StatusNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Arrays.stream(TaskStatus.values()).map(TaskStatus::id).collect(Collectors.toList()).iterator();
        }
    }
}
