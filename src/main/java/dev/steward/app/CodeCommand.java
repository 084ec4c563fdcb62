package dev.steward.app;

import dev.steward.actions.ToolContext;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskJournal;
import dev.steward.agent.TaskObserver;
import dev.steward.code.CodeChanges;
import dev.steward.code.CodeRequest;
import dev.steward.code.CodeResult;
import dev.steward.code.CodeWorkflow;
import dev.steward.config.Role;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "code", mixinStandardHelpOptions = true, subcommands = CodeCommand.Apply.class,
        description = {"Make a code change in a workspace project: the Manager plans the files, the Employee writes "
                + "them into a copy of the project and runs its tests in the sandbox, the Supervisor sends failures "
                + "back (at most --rounds times).",
                "Prints the unified diff; the project itself changes only with 'steward code apply TASK'.",
                "Exit codes: 0 the change passed, 1 it did not (the diff and why are printed), 2 usage error."},
        footer = {"", "Example: steward code \"add a function mul(a, b) with a test\" --project calc "
                + "--test 'python3 -m unittest'", "         steward code apply 01J…"})
final class CodeCommand implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    // Neither is required by picocli: 'steward code apply TASK' has neither, and CodeRequest names what is missing.
    @Parameters(index = "0", arity = "0..1", paramLabel = "REQUEST", description = "What to change, in your words.")
    String request;

    @Option(names = "--project", paramLabel = "DIR",
            description = "The project's folder, relative to the workspace.")
    String project;

    @Option(names = "--test", paramLabel = "COMMAND", description = "How to run the project's tests in its folder "
            + "(default: told from its files: make test, test.sh, npm test, pytest, python3 -m unittest).")
    String test;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "" + CodeRequest.DEFAULT_ROUNDS,
            description = "How many write-and-test rounds at most (default ${DEFAULT-VALUE}, at most "
                    + CodeRequest.MOST_ROUNDS + ").")
    int rounds;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Steward steward = parent.steward();
        CodeWorkflow workflow = new CodeWorkflow(steward.gate(), steward.router(), steward.config().workspace());
        CodeRequest checked;
        try {
            checked = workflow.checked(new CodeRequest(request, project, test, rounds));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        TaskJournal journal = steward.runner().journal(Steward.LOCAL_USER, checked.request(), "code", "cli");
        CodeResult result;
        try (AutoCloseable progress = steward.runner().subscribe(progress(journal.taskId()))) {
            result = workflow.run(checked, journal, new ToolContext(Steward.LOCAL_USER, null, Role.ADMIN));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (output.json) {
            System.out.println(Json.pretty(result));
        } else {
            System.out.print(result.diff());
            System.err.println((result.passed() ? "Passed" : "Not passed") + " after " + result.rounds() + " round"
                    + (result.rounds() == 1 ? "" : "s") + ": " + result.reason());
            if (result.passed()) {
                System.err.println("The project is unchanged; apply the change with: steward code apply "
                        + result.taskId());
            }
        }
        return result.passed() ? Main.OK : Main.TASK_FAILED;
    }

    /** Each step of the task on stderr as it happens. */
    private static TaskObserver progress(String taskId) {
        return (userId, event) -> {
            if (event.taskId().equals(taskId) && !event.type().ends()) {
                System.err.println("  " + (event.role() == null ? "" : event.role().id() + " ") + event.type().id()
                        + ": " + firstLine(event.message()));
            }
        };
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = "Write the change of a code task that passed into its project (only if the project's "
                    + "files are still as the task found them).")
    static final class Apply implements Callable<Integer> {
        @ParentCommand
        CodeCommand code;

        @Parameters(index = "0", paramLabel = "TASK", description = "The code task's id (or its start).")
        String taskId;

        @Override
        public Integer call() {
            Steward steward = code.parent.steward();
            String id = steward.tasks().find(taskId).map(t -> t.id()).orElseThrow(() -> new UsageException(
                    "no task '" + taskId + "'; see 'steward tasks list'"));
            CodeChanges changes = new CodeChanges(steward.tasks(), steward.gate(), steward.config().workspace());
            CodeResult result = changes.result(id).orElseThrow(() -> new UsageException("task " + id + " is not a "
                    + "finished code task"));
            try {
                List<String> written = changes.apply(result, new ToolContext(Steward.LOCAL_USER, id, Role.ADMIN));
                written.forEach(path -> System.out.println("written " + path));
                return Main.OK;
            } catch (CodeChanges.NotApplicable e) {
                System.err.println("steward: " + e.getMessage());
                return Main.TASK_FAILED;
            }
        }
    }
}
