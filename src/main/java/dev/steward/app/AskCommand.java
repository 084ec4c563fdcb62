package dev.steward.app;

import dev.steward.agent.AskRequest;
import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.support.Json;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Run one task to completion: the answer on stdout, progress on stderr.",
                "Every task is stored; 'steward tasks list' shows them."},
        footer = {"", "Example:  steward ask \"what can you do?\""})
final class AskCommand implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "What to ask or do (quote it, or write it as words).")
    List<String> words = List.of();

    @Option(names = "--json", description = "Print the task record as JSON instead of the answer.")
    boolean json;

    @Override
    public Integer call() {
        String text = String.join(" ", words).strip();
        if (text.isEmpty()) {
            throw new UsageException("nothing to ask: write what you want, e.g. steward ask \"what can you do?\"");
        }
        Steward steward = parent.steward();
        if (steward.router().offline()) {
            System.err.println("steward: running offline (no model configured); 'steward doctor' shows how to connect one");
        }
        ProgressPrinter progress = new ProgressPrinter(System.out, System.err, Terminal.isTerminal(2), !json);
        Task task = Interruptible.run(() -> steward.runner().run(AskRequest.of(Steward.LOCAL_USER, text), progress));
        progress.finish(task.answer());
        if (json) {
            System.out.println(Json.pretty(task));
        }
        if (task.status() != TaskStatus.DONE) {
            System.err.println("steward: task " + task.id() + " " + task.status().id()
                    + (task.error() == null ? "" : ": " + task.error()));
            return Main.TASK_FAILED;
        }
        return Main.OK;
    }
}
