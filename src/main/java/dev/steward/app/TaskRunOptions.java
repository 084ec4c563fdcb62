package dev.steward.app;

import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.support.Json;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** How a command that runs a task here (ask, tasks answer, tasks resume) shows it, and the exit code it gives. */
final class TaskRunOptions {
    @Option(names = "--json", description = "Print the task record as JSON instead of the answer.")
    boolean json;

    /**
     * Runs a task in this process with live progress on stderr (Ctrl-C cancels it), then prints how it ended (the
     * answer, or what it waits for) and gives the exit code 'steward ask' documents.
     */
    int runHere(Function<ProgressPrinter, Task> work) {
        ProgressPrinter progress = new ProgressPrinter(System.out, System.err, Terminal.isTerminal(2), !json);
        Task task = Interruptible.run(() -> work.apply(progress));
        progress.finish(task.answer());
        if (json) {
            System.out.println(Json.pretty(task));
        }
        String waiting = ProgressPrinter.howToContinue(task);
        if (waiting != null) {
            System.err.println("steward: " + waiting);
            return task.status() == TaskStatus.WAITING_APPROVAL ? Main.NEEDS_APPROVAL : Main.WAITING_INPUT;
        }
        if (task.status() != TaskStatus.DONE) {
            System.err.println("steward: task " + task.id() + " " + task.status().id()
                    + (task.error() == null ? "" : ": " + task.error()));
            return Main.TASK_FAILED;
        }
        return Main.OK;
    }
}
