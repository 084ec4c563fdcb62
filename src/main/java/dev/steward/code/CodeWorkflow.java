package dev.steward.code;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.Provenance;
import dev.steward.actions.ToolContext;
import dev.steward.actions.Workspace;
import dev.steward.agent.TaskEvent.AgentRole;
import dev.steward.agent.TaskEvent.Kind;
import dev.steward.agent.TaskJournal;
import dev.steward.agent.TaskStatus;
import dev.steward.router.CallContext;
import dev.steward.router.ModelException;
import dev.steward.router.Router;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A code change in rounds: the Manager plans the files, then in each round the Employee writes them into the task's
 * copy of the project and runs its tests in the sandbox, and the Supervisor reads the diff and the result and passes
 * it, sends it back with what to fix, or gives up. At most {@link CodeRequest#rounds()} rounds. Every step is a task
 * event; the result (the diff, the test runs, why it ended) is the task's terminal event.
 *
 * <p>Writes to the copy pass the gate (policy, rate limits, audit) as the workflow's own calls, not as calls after
 * untrusted content: what the model read (project files, test output) can at worst steer what it writes into a copy
 * that only the sandboxed tests see. The user's project changes only through {@link CodeChanges#apply}, the user's
 * own act after reading the diff.
 */
public final class CodeWorkflow {
    /** How many of the project's file names the Manager sees. */
    static final int MOST_LISTED_FILES = 200;

    private final ActionGate gate;
    private final Router router;
    private final Workspace workspace;

    public CodeWorkflow(ActionGate gate, Router router, Path workspace) {
        this.gate = gate;
        this.router = router;
        this.workspace = new Workspace(workspace);
    }

    /**
     * The request with its test command decided, or a usage error naming the fix: no model, no such project, no
     * test command found. Checked before a task is recorded.
     */
    public CodeRequest checked(CodeRequest request) {
        if (router == null || router.offline()) {
            throw new IllegalArgumentException("the code workflow needs a model to write code: configure a provider "
                    + "in steward.yaml (providers:) or set OPENAI_API_KEY / ANTHROPIC_API_KEY");
        }
        Path project = workspace.resolve(request.project());
        if (!Files.isDirectory(project)) {
            throw new IllegalArgumentException("no project folder '" + request.project() + "' in the workspace ("
                    + workspace.root() + "); give a folder that exists with --project");
        }
        if (project.startsWith(workspace.resolve(Scratch.ROOT))) {
            throw new IllegalArgumentException("'" + request.project() + "' is a code task's scratch copy; give the "
                    + "project's own folder");
        }
        String test = request.testCommand() != null ? request.testCommand() : TestCommands.detect(project);
        if (test == null) {
            throw new IllegalArgumentException("cannot tell how to run the tests of '" + request.project() + "': "
                    + "give the command with --test (\"test\" in the API), e.g. --test 'python3 -m unittest'");
        }
        return new CodeRequest(request.request(), request.project(), test, request.rounds());
    }

    /** Runs a {@link #checked} request to its end, recording it in {@code journal}, which it finishes. */
    public CodeResult run(CodeRequest request, TaskJournal journal, ToolContext context) {
        String taskId = journal.taskId();
        ToolContext inTask = new ToolContext(context.userId(), taskId, context.role());
        Round round = new Round(request, journal, inTask, Scratch.folder(taskId));
        try {
            return round.work(new CodeModel(router, new CallContext(context.userId(), taskId)));
        } catch (RuntimeException e) {
            return round.end(false, "the code task failed: " + dev.steward.support.Errors.message(e), 0);
        }
    }

    /** The state of one task's rounds: what was written, what the tests said. */
    private final class Round {
        final CodeRequest request;
        final TaskJournal journal;
        final ToolContext context;
        final String scratch;
        final Path project;
        final Path copy;
        /** Each written file's content in the project before the change (null: a new file), in writing order. */
        final Map<String, String> before = new LinkedHashMap<>();
        final List<TestRun> tests = new ArrayList<>();
        /** Why the tests could not run, when the gate or the sandbox refused. */
        String lastRefusal;

        Round(CodeRequest request, TaskJournal journal, ToolContext context, String scratch) {
            this.request = request;
            this.journal = journal;
            this.context = context;
            this.scratch = scratch;
            this.project = workspace.resolve(request.project());
            this.copy = workspace.resolve(scratch);
        }

        CodeResult work(CodeModel model) {
            Scratch.copy(project, copy);
            CodeModel.Plan plan;
            try {
                plan = model.plan(request.request(), Scratch.files(project, MOST_LISTED_FILES), request.testCommand());
            } catch (ModelException | IllegalArgumentException e) {
                return end(false, "the Manager's plan was unusable: " + e.getMessage(), 0);
            }
            journal.event(Kind.PLAN, AgentRole.MANAGER, plan.summary(), Json.object()
                    .put("project", request.project()).put("test_command", request.testCommand())
                    .set("files", Json.mapper().valueToTree(plan.files())));
            String feedback = null;
            for (int n = 1; n <= request.rounds(); n++) {
                if (journal.cancelled()) {
                    return cancelled(n - 1);
                }
                journal.event(Kind.STEP, AgentRole.EMPLOYEE, "round " + n + " of " + request.rounds()
                        + ": writing and testing", Json.object().put("round", n).put("rounds", request.rounds()));
                List<CodeModel.Written> written;
                try {
                    written = model.write(request.request(), plan, current(plan), feedback);
                } catch (ModelException | IllegalArgumentException e) {
                    feedback = "Your answer was unusable (" + e.getMessage() + "); answer with the JSON asked for.";
                    journal.event(Kind.REVIEW, AgentRole.SUPERVISOR, feedback, verdict("revise", false, n));
                    continue;
                }
                String refused = write(written);
                if (refused != null) {
                    return end(false, refused, n);
                }
                TestRun run = test();
                if (run == null) {
                    return end(false, "the tests could not run: " + lastRefusal, n);
                }
                tests.add(run);
                CodeModel.Review review = review(model, run);
                journal.event(Kind.REVIEW, AgentRole.SUPERVISOR, review.feedback(),
                        verdict(review.verdict().name().toLowerCase(java.util.Locale.ROOT), run.passed(), n));
                switch (review.verdict()) {
                    case PASS -> {
                        return end(true, "accepted: " + run.summary()
                                + (review.feedback().isEmpty() ? "" : "; " + review.feedback()), n);
                    }
                    case GIVE_UP -> {
                        return end(false, "the Supervisor gave up: " + review.feedback(), n);
                    }
                    case REVISE -> feedback = review.feedback() + "\n" + run.summary() + "\n" + run.output();
                }
            }
            TestRun last = tests.isEmpty() ? null : tests.getLast();
            return end(false, "gave up after " + request.rounds() + " round" + (request.rounds() == 1 ? "" : "s")
                    + ": " + (last == null ? "no usable files were written" : last.summary()
                    + (last.passed() ? " but the Supervisor did not accept the change" : "")), request.rounds());
        }

        /** The Supervisor's verdict; it may not pass failing tests, and an unusable answer lets the tests decide. */
        private CodeModel.Review review(CodeModel model, TestRun run) {
            CodeModel.Review review;
            try {
                review = model.review(request.request(), diff(), run);
            } catch (ModelException | IllegalArgumentException e) {
                review = new CodeModel.Review(run.passed() ? CodeModel.Verdict.PASS : CodeModel.Verdict.REVISE,
                        "the Supervisor's answer was unusable (" + e.getMessage() + "); the tests decide");
            }
            if (review.verdict() == CodeModel.Verdict.PASS && !run.passed()) {
                return new CodeModel.Review(CodeModel.Verdict.REVISE, "the tests fail, so the change cannot pass: "
                        + (review.feedback().isEmpty() ? "make them pass" : review.feedback()));
            }
            return review;
        }

        private Map<String, String> current(CodeModel.Plan plan) {
            Map<String, String> files = new LinkedHashMap<>();
            List<String> paths = new ArrayList<>(plan.files());
            before.keySet().stream().filter(p -> !paths.contains(p)).forEach(paths::add);
            for (String path : paths) {
                try {
                    files.put(path, Scratch.read(inCopy(path)));
                } catch (IllegalArgumentException | dev.steward.actions.ToolException e) {
                    // a planned path outside the project: the Employee's write of it is refused with why
                }
            }
            return files;
        }

        /** Writes the Employee's files into the copy through the gate; why not, when one could not be written. */
        private String write(List<CodeModel.Written> written) {
            for (CodeModel.Written file : written) {
                String path = file.path();
                if (path.startsWith("/") || Path.of(path).normalize().startsWith("..") || path.isBlank()) {
                    return "the Employee wrote outside the project: '" + path + "'";
                }
                String original = Scratch.read(workspace.resolve(request.project() + "/" + path));
                ActionGate.Outcome outcome = gate.call("files.write", Json.object()
                        .put("path", scratch + "/" + path).put("content", file.content()), context, Provenance.NONE);
                journal.event(Kind.TOOL_RESULT, AgentRole.EMPLOYEE, "files.write " + path + ": "
                        + (outcome.ok() ? "written" : outcome.message()), Json.object().put("tool", "files.write")
                        .put("path", path).put("status", outcome.status().id()));
                if (!outcome.ok()) {
                    return "writing " + path + " into the copy was not allowed: " + outcome.message();
                }
                before.putIfAbsent(path, original);
            }
            return null;
        }

        /** Runs the tests through the gate in a sandbox that sees only the copy; null (and why) when they cannot. */
        private TestRun test() {
            Scratch.clearCaches(copy);
            ActionGate.Outcome outcome = gate.call("shell.run", Json.object().put("command", request.testCommand())
                    .put("folder", scratch), context, Provenance.NONE);
            // A run that timed out is an error of the tool that still reports its exit code and output.
            if (!(outcome instanceof ActionGate.Ran ran) || ran.result().content() == null
                    || !ran.result().content().has("exit_code")) {
                lastRefusal = outcome.message();
                return null;
            }
            JsonNode result = ran.result().content();
            String output = (result.path("stdout").asText("") + "\n" + result.path("stderr").asText("")).strip();
            TestRun run = new TestRun(request.testCommand(), result.path("exit_code").asInt(),
                    result.path("timed_out").asBoolean(), result.path("duration_ms").asLong(), TestRun.tail(output));
            journal.event(Kind.TOOL_RESULT, AgentRole.EMPLOYEE, run.summary(), Json.object()
                    .put("tool", "shell.run").put("exit_code", run.exitCode()).put("passed", run.passed())
                    .put("output", run.output()));
            return run;
        }

        private Path inCopy(String path) {
            return workspace.resolve(scratch + "/" + path);
        }

        String diff() {
            StringBuilder diff = new StringBuilder();
            before.forEach((path, old) -> diff.append(Scratch.diff(path, old, Scratch.read(inCopy(path)))));
            return diff.toString();
        }

        CodeResult cancelled(int rounds) {
            CodeResult result = result(false, "cancelled", rounds);
            journal.finish(TaskStatus.CANCELLED, null, "cancelled", Json.mapper().valueToTree(result));
            return result;
        }

        CodeResult end(boolean passed, String reason, int rounds) {
            CodeResult result = result(passed, reason, rounds);
            String answer = (passed ? "The change to " + request.project() + " passed its tests after " + rounds
                    + " round" + (rounds == 1 ? "" : "s") + ". It is not applied yet: apply it with 'steward code "
                    + "apply " + journal.taskId() + "' (or Apply in the web UI).\n\n" : "") + "```diff\n"
                    + result.diff() + "```\n";
            journal.finish(passed ? TaskStatus.DONE : TaskStatus.FAILED, passed ? answer : null,
                    passed ? null : reason, Json.mapper().valueToTree(result));
            return result;
        }

        private CodeResult result(boolean passed, String reason, int rounds) {
            List<CodeResult.ChangedFile> files = new ArrayList<>();
            String diff = "";
            try {
                diff = diff();
                before.forEach((path, old) -> files.add(new CodeResult.ChangedFile(path, Scratch.hash(old),
                        Scratch.hash(Scratch.read(inCopy(path))))));
            } catch (RuntimeException e) {
                // the copy is gone or unreadable: the result says why it ended, without a diff
            }
            return new CodeResult(journal.taskId(), request.project(), passed, reason, rounds, diff, scratch,
                    List.copyOf(files), List.copyOf(tests));
        }
    }

    private static JsonNode verdict(String verdict, boolean testsPassed, int round) {
        return Json.object().put("verdict", verdict).put("tests_passed", testsPassed).put("round", round);
    }
}
