package dev.steward.agent;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The agent runtime's public face: runs tasks in the caller's thread or in the background, lets their owner
 * cancel them or answer their questions, and tells observers of every event as it happens.
 */
public final class TaskRunner implements AutoCloseable {
    private final Agent agent;
    private final TaskStore tasks;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Future<?>> running = new ConcurrentHashMap<>();
    private final List<TaskObserver> observers = new CopyOnWriteArrayList<>();

    public TaskRunner(Agent agent, TaskStore tasks) {
        this.agent = agent;
        this.tasks = tasks;
    }

    /** Runs one message to its end in this thread; {@code listener} follows it, as do the observers. */
    public Task run(AskRequest request, TaskListener listener) {
        Task task = agent.open(request);
        return agent.run(task, request, watched(task, listener));
    }

    /** Records the task and starts it in the background; returns at once with the queued task. */
    public Task submit(AskRequest request) {
        Task task = agent.open(request);
        running.put(task.id(), background.submit(() -> {
            try {
                agent.run(task, request, watched(task, TaskListener.NONE));
            } finally {
                running.remove(task.id());
            }
        }));
        return task;
    }

    /** The task with this id, if {@code userId} owns it; someone else's task is as good as absent. */
    public Optional<Task> find(String userId, String taskId) {
        return tasks.find(taskId).filter(t -> t.id().equals(taskId) && t.userId().equals(userId));
    }

    /** Stops a running task of {@code userId}'s; false when there is no such task or it has already ended. */
    public boolean cancel(String userId, String taskId) {
        if (find(userId, taskId).isEmpty()) {
            return false;
        }
        Future<?> work = running.get(taskId);
        return work != null && work.cancel(true);
    }

    /** Tells every event of every task, as it happens, until the returned handle is closed. */
    public AutoCloseable subscribe(TaskObserver observer) {
        observers.add(observer);
        return () -> observers.remove(observer);
    }

    private TaskListener watched(Task task, TaskListener listener) {
        return new TaskListener() {
            @Override
            public void onEvent(TaskEvent event) {
                observers.forEach(o -> tell(() -> o.onEvent(task.userId(), event)));
                listener.onEvent(event);
            }

            @Override
            public void onText(String chunk) {
                observers.forEach(o -> tell(() -> o.onText(task.userId(), task.id(), chunk)));
                listener.onText(chunk);
            }
        };
    }

    /** One observer that fails (a browser gone away) must not keep the others from hearing. */
    private static void tell(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException ignored) {
            // That observer missed this event; the store has it.
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
