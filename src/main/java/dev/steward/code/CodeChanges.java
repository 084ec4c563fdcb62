package dev.steward.code;

import dev.steward.actions.ActionGate;
import dev.steward.actions.Provenance;
import dev.steward.actions.ToolContext;
import dev.steward.actions.Workspace;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskStore;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The results of code tasks, and applying one to the real project: the user's own act after reading the diff. It
 * writes only if the project's files are still as the change found them and the copy is still as it was reviewed,
 * each write through the gate.
 */
public final class CodeChanges {
    private final TaskStore tasks;
    private final ActionGate gate;
    private final Workspace workspace;

    public CodeChanges(TaskStore tasks, ActionGate gate, Path workspace) {
        this.tasks = tasks;
        this.gate = gate;
        this.workspace = new Workspace(workspace);
    }

    /** The result of a code task (its terminal event), or empty when the task is not a finished code task. */
    public Optional<CodeResult> result(String taskId) {
        return tasks.events(taskId).reversed().stream().filter(e -> e.type().ends()).findFirst()
                .map(TaskEvent::data).filter(d -> d != null && d.has("scratch") && d.has("diff"))
                .map(d -> Json.mapper().convertValue(d, CodeResult.class));
    }

    /** A change that cannot be applied as it stands: the message names what is wrong and what to do. */
    public static final class NotApplicable extends IllegalStateException {
        NotApplicable(String message) {
            super(message);
        }
    }

    /**
     * Writes the change into the project and returns the paths written, relative to the workspace.
     *
     * @throws NotApplicable when it did not pass, has nothing to apply, or the project or the copy changed since
     */
    public List<String> apply(CodeResult result, ToolContext context) {
        if (!result.passed()) {
            throw new NotApplicable("the change of task " + result.taskId() + " did not pass (" + result.reason()
                    + "); only a change that passed its tests and review is applied — copy what you want from its "
                    + "diff by hand");
        }
        if (result.files().isEmpty()) {
            throw new NotApplicable("the change of task " + result.taskId() + " writes no files");
        }
        List<String> contents = new ArrayList<>();
        for (CodeResult.ChangedFile file : result.files()) {
            String now = Scratch.read(workspace.resolve(result.project() + "/" + file.path()));
            if (!Scratch.hash(now).equals(file.before())) {
                throw new NotApplicable(result.project() + "/" + file.path() + " changed since task "
                        + result.taskId() + " copied it (or was applied already); nothing was written — run the "
                        + "code task again on the project as it is now");
            }
            String content = Scratch.read(workspace.resolve(result.scratch() + "/" + file.path()));
            if (!Scratch.hash(content).equals(file.after())) {
                throw new NotApplicable("the copy of " + file.path() + " in " + result.scratch() + " changed since "
                        + "it was reviewed; nothing was written — run the code task again");
            }
            contents.add(content);
        }
        List<String> written = new ArrayList<>();
        for (int i = 0; i < result.files().size(); i++) {
            String path = result.project() + "/" + result.files().get(i).path();
            ActionGate.Outcome outcome = gate.call("files.write", Json.object().put("path", path)
                    .put("content", contents.get(i)), context, Provenance.NONE);
            if (!outcome.ok()) {
                throw new NotApplicable("writing " + path + " was not allowed: " + outcome.message()
                        + (written.isEmpty() ? "" : "; already written: " + String.join(", ", written)));
            }
            written.add(path);
        }
        return written;
    }
}
