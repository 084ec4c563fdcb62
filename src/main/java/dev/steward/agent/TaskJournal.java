package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/**
 * A task whose work a part above the agent does itself (the code workflow, research): it is recorded like any task,
 * its events are stored and streamed to the runner's observers as they happen, and its owner can cancel it. The part
 * asks {@link #cancelled()} between its steps. The runner holds the task until {@link #finish}, so no other runner
 * takes it over as an orphan.
 */
public final class TaskJournal {
    private final TaskStore tasks;
    private final RunControl control;
    private final Consumer<TaskEvent> tell;
    private final Runnable release;
    private volatile Task task;

    TaskJournal(TaskStore tasks, Task task, RunControl control, Consumer<TaskEvent> tell, Runnable release) {
        this.tasks = tasks;
        this.task = task;
        this.control = control;
        this.tell = tell;
        this.release = release;
    }

    public Task task() {
        return task;
    }

    public String taskId() {
        return task.id();
    }

    /** Stores one event of the task and tells everyone who follows it. */
    public TaskEvent event(TaskEvent.Kind type, TaskEvent.AgentRole role, String message, JsonNode data) {
        TaskEvent event = tasks.append(task.id(), type, role, message, data);
        tell.accept(event);
        return event;
    }

    /** Whether the task's owner asked to cancel it (or the process is stopping). */
    public boolean cancelled() {
        return control.requested() != null;
    }

    /**
     * Ends the task: its status, answer or error, and the terminal event carrying {@code data}.
     *
     * @param status DONE, FAILED or CANCELLED
     */
    public Task finish(TaskStatus status, String answer, String error, JsonNode data) {
        Task t = task;
        task = new Task(t.id(), t.userId(), t.conversationId(), status, t.intent(), t.input(), answer, error, t.model(),
                t.tokensIn(), t.tokensOut(), t.costMicros(), t.createdAt(), t.startedAt(), System.currentTimeMillis(),
                t.agent(), t.plan(), t.currentStep(), t.iteration(), null, null, t.source());
        tasks.save(task, null, 0, 0); // held for good, never claimed: its epoch stays 0
        event(TaskEvent.Kind.ending(status), null, status == TaskStatus.DONE ? answer : error, data);
        release.run();
        return task;
    }
}
