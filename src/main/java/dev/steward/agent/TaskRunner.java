package dev.steward.agent;

import dev.steward.telemetry.Tracing;
import dev.steward.support.Ids;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The agent runtime's public face: runs tasks in the caller's thread or in the background, lets their owner
 * cancel them or answer their questions, and tells observers of every event as it happens.
 *
 * <p>Tasks are durable: a runner holds each task it works on with a lease it renews; when a process stops, its
 * tasks' leases lapse and {@link #resumeAll()} (in this or another process) carries them on from their checkpoint.
 * Once resumeAll was called, the runner also watches for tasks whose approval was decided — by the CLI in another
 * process, or the API — and carries them on.
 */
public final class TaskRunner implements AutoCloseable {
    /** How often a watching runner looks for decided approvals, lapsed leases and cancellations. */
    static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

    private final Agent agent;
    private final TaskStore tasks;
    private final String runnerId = Ids.next();
    private final long leaseMillis;
    private final Duration poll;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, RunControl> active = new ConcurrentHashMap<>();
    /** The lease epoch of a task this runner has just opened: a new task is written with 0, claimed by nobody yet. */
    private static final OptionalLong OPENED = OptionalLong.of(0);
    /** Tasks whose work a part above the agent does itself: cancellable here, never leased or swept. */
    private final Map<String, RunControl> journals = new ConcurrentHashMap<>();
    private final List<TaskObserver> observers = new CopyOnWriteArrayList<>();
    private volatile boolean watching;
    private volatile boolean closed;
    private Thread heartbeat;

    public TaskRunner(Agent agent, TaskStore tasks) {
        this(agent, tasks, Duration.ofMillis(Run.DEFAULT_LEASE_MILLIS), DEFAULT_POLL);
    }

    /**
     * @param lease how long this runner may go silent before another may take its tasks over
     * @param poll  how often it renews its leases and, once watching, looks for work to resume
     */
    public TaskRunner(Agent agent, TaskStore tasks, Duration lease, Duration poll) {
        this.agent = agent;
        this.tasks = tasks;
        this.leaseMillis = lease.toMillis();
        this.poll = poll;
    }

    /** Runs one message in this thread until it ends or waits; {@code listener} follows it, as do the observers. */
    public Task run(AskRequest request, TaskListener listener) {
        Task task = agent.open(request, runnerId, leaseUntil());
        return work(task.id(), OPENED, request.input(), listener, run -> run.drive());
    }

    /** Records the task and starts it in the background; returns at once with the queued task. */
    public Task submit(AskRequest request) {
        Task task = agent.open(request, runnerId, leaseUntil());
        inBackground(task.id(), OPENED, request.input(), run -> run.drive());
        return task;
    }

    /**
     * Records a task whose work the caller does itself (see {@link TaskJournal}): running from now, held by this
     * runner until it is finished, cancellable by its owner like any task.
     *
     * @param agentName the profile the work stands for (shown in the task list), e.g. {@code code}
     * @param source where the request came from: cli, api, …
     */
    public TaskJournal journal(String userId, String input, String agentName, String source) {
        long now = System.currentTimeMillis();
        Task task = new Task(Ids.next(), userId, null, TaskStatus.RUNNING, Intent.COMPLEX_TASK, agent.redact(input),
                null, null, null, 0, 0, 0, now, now, null, agentName, null, null, null, null, null, source);
        // Held for good while it runs (its lease is never renewed down): only this process can carry the work on, so
        // no sweep may take it as an orphan and hand it to the Employee loop.
        tasks.insert(task, null, runnerId, Long.MAX_VALUE);
        RunControl control = new RunControl();
        journals.put(task.id(), control);
        startHeartbeat(); // so that a cancel asked for in another process reaches it
        TaskJournal journal = new TaskJournal(tasks, task, control,
                event -> watched(task, TaskListener.NONE).onEvent(event), () -> journals.remove(task.id()));
        journal.event(TaskEvent.Kind.STARTED, null, agentName + ": " + task.input(), null);
        return journal;
    }

    /** The task with this id, if {@code userId} owns it; someone else's task is as good as absent. */
    public Optional<Task> find(String userId, String taskId) {
        return tasks.find(taskId).filter(t -> t.id().equals(taskId) && t.userId().equals(userId));
    }

    /**
     * Cancels a task of {@code userId}'s: one running here stops at once and undoes what it can; one waiting, or left
     * by a stopped process, is cancelled here; one running in another process stops when that process next looks
     * (within a poll). False when there is no such task or it has already ended.
     */
    public boolean cancel(String userId, String taskId) {
        Optional<Task> found = find(userId, taskId);
        if (found.isEmpty() || found.get().status().finished()) {
            return false;
        }
        RunControl here = active.getOrDefault(taskId, journals.get(taskId));
        if (here != null) {
            here.stop(RunControl.Stop.CANCEL);
            return true;
        }
        tasks.requestCancel(taskId);
        Task task = found.get();
        OptionalLong epoch = tasks.claim(taskId, task.status(), runnerId, System.currentTimeMillis(), leaseUntil());
        if (epoch.isPresent()) {
            if (task.approvalId() != null) {
                rejectQuietly(task.approvalId(), userId);
            }
            RunControl control = new RunControl();
            control.stop(RunControl.Stop.CANCEL);
            Run run = load(taskId, epoch, null, control, TaskListener.NONE);
            run.cancelNow();
        }
        return true;
    }

    /**
     * Answers the question a task of {@code userId}'s is waiting on, and carries it on in the background.
     *
     * @throws IllegalStateException if the task is not waiting for input
     */
    public Task answer(String userId, String taskId, String text) {
        OptionalLong epoch = claimWaitingInput(userId, taskId);
        inBackground(taskId, epoch, null, run -> run.answer(text));
        return tasks.find(taskId).orElseThrow();
    }

    /** Answers the question, then carries the task on in this thread until it ends or waits again. */
    public Task answer(String userId, String taskId, String text, TaskListener listener) {
        OptionalLong epoch = claimWaitingInput(userId, taskId);
        return work(taskId, epoch, null, listener, run -> run.answer(text));
    }

    /**
     * Carries on a task of {@code userId}'s in this thread: one whose approval was decided, or one left running by
     * a stopped process. A task still waiting for a person, or held by a live runner, comes back as it is.
     */
    public Task resume(String userId, String taskId, TaskListener listener) {
        Task task = find(userId, taskId).orElseThrow(() -> new IllegalArgumentException("no task " + taskId));
        if (task.status().finished() || task.status() == TaskStatus.WAITING_INPUT) {
            return task;
        }
        OptionalLong epoch = tasks.claim(taskId, task.status(), runnerId, System.currentTimeMillis(), leaseUntil());
        return epoch.isEmpty() ? task : work(taskId, epoch, null, listener, run -> run.drive());
    }

    /**
     * Carries on at once, in the background, a task of {@code userId}'s that waits for an approval just decided in
     * this process, instead of at the next look for decided approvals. Nothing happens for any other task.
     */
    public void wake(String userId, String taskId) {
        long now = System.currentTimeMillis();
        find(userId, taskId)
                .filter(t -> t.status() == TaskStatus.WAITING_APPROVAL)
                .ifPresent(t -> takeOver(t, now));
    }

    /**
     * At start-up: carries on, in the background, every task that was being worked on when its process stopped and
     * every task whose approval has been decided; tasks waiting for a person keep waiting. From now on the runner
     * keeps looking, so that an approval decided later (in any process) wakes its task.
     */
    public void resumeAll() {
        watching = true;
        sweep();
        startHeartbeat();
    }

    /** Tells every event of every task, as it happens, until the returned handle is closed. */
    public AutoCloseable subscribe(TaskObserver observer) {
        observers.add(observer);
        return () -> observers.remove(observer);
    }

    /** This runner's id: the tasks it holds carry it in their row, and a node is known by it. */
    public String runnerId() {
        return runnerId;
    }

    /** How many tasks are at work here now. */
    public int activeCount() {
        return active.size();
    }

    /**
     * Tells the observers an event of a task another process runs (a node of the same database), so that a stream
     * here follows it as if it ran here. Streams skip what they have sent, so an event told twice is harmless.
     */
    public void relay(String userId, TaskEvent event) {
        observers.forEach(o -> RunRecord.tell(() -> o.onEvent(userId, event)));
    }

    /** Picks up lapsed tasks and decided approvals; stops tasks someone asked to cancel elsewhere. */
    private void sweep() {
        long now = System.currentTimeMillis();
        for (Map<String, RunControl> running : List.of(active, journals)) {
            for (String id : tasks.cancelRequested(running.keySet())) {
                RunControl control = running.get(id);
                if (control != null) {
                    control.stop(RunControl.Stop.CANCEL);
                }
            }
        }
        if (!watching || closed) {
            return;
        }
        tasks.orphaned(now).forEach(task -> takeOver(task, now));
        tasks.approvalDecided(now).forEach(task -> takeOver(task, now));
    }

    /** Claims a task nobody holds and carries it on in the background, if no other runner claimed it first. */
    private void takeOver(Task task, long now) {
        OptionalLong epoch = tasks.claim(task.id(), task.status(), runnerId, now, leaseUntil());
        if (epoch.isPresent()) {
            inBackground(task.id(), epoch, null, run -> run.drive());
        }
    }

    private OptionalLong claimWaitingInput(String userId, String taskId) {
        Task task = find(userId, taskId).orElseThrow(() -> new IllegalArgumentException("no task " + taskId));
        if (task.status() != TaskStatus.WAITING_INPUT) {
            throw new IllegalStateException("task " + taskId + " is " + task.status().id() + ", not waiting for an answer");
        }
        OptionalLong epoch = tasks.claim(taskId, TaskStatus.WAITING_INPUT, runnerId, System.currentTimeMillis(),
                leaseUntil());
        if (epoch.isEmpty()) {
            throw new IllegalStateException("task " + taskId + " was just answered by someone else");
        }
        return epoch;
    }

    private Task work(String taskId, OptionalLong epoch, String input, TaskListener listener,
                      java.util.function.Function<Run, Task> step) {
        RunControl control = new RunControl();
        active.put(taskId, control);
        startHeartbeat();
        try {
            return step.apply(load(taskId, epoch, input, control, listener));
        } finally {
            active.remove(taskId);
        }
    }

    private void inBackground(String taskId, OptionalLong epoch, String input,
                              java.util.function.Function<Run, Task> step) {
        background.submit(Tracing.carry(() -> work(taskId, epoch, input, TaskListener.NONE, step)));
    }

    private Run load(String taskId, OptionalLong epoch, String input, RunControl control, TaskListener listener) {
        return agent.load(taskId, epoch, control, task -> watched(task, listener), leaseMillis, input);
    }

    private long leaseUntil() {
        return System.currentTimeMillis() + leaseMillis;
    }

    /** Renews the leases of the tasks at work here, and (once watching) looks for work. */
    private synchronized void startHeartbeat() {
        if (heartbeat != null || closed) {
            return;
        }
        // A platform thread: busy virtual threads (embedding, a model's native code) must not delay the renewal
        // until the lease lapses and another node takes a task still at work here.
        heartbeat = Thread.ofPlatform().daemon().name("steward-task-heartbeat").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(Math.min(poll.toMillis(), leaseMillis / 3));
                    tasks.renew(runnerId, active.keySet(), leaseUntil());
                    sweep();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // A database hiccup: try again next round; the leases have room for a missed beat.
                }
            }
        });
    }

    private void rejectQuietly(String approvalId, String userId) {
        try {
            agent.gate.reject(approvalId, userId);
        } catch (RuntimeException alreadyDecided) {
            // Decided or expired already: nothing left to stop.
        }
    }

    private TaskListener watched(Task task, TaskListener listener) {
        return new TaskListener() {
            @Override
            public void onEvent(TaskEvent event) {
                observers.forEach(o -> RunRecord.tell(() -> o.onEvent(task.userId(), event)));
                listener.onEvent(event);
            }

            @Override
            public void onText(String chunk) {
                observers.forEach(o -> RunRecord.tell(() -> o.onText(task.userId(), task.id(), chunk)));
                listener.onText(chunk);
            }
        };
    }

    /** One observer that fails (a browser gone away) must not keep the others from hearing. */
    /**
     * Stops: tasks at work here save where they are and are let go, so that the next process carries them on at
     * once; nothing is cancelled.
     */
    @Override
    public void close() {
        closed = true;
        Thread beat;
        synchronized (this) {
            beat = heartbeat;
        }
        if (beat != null) {
            beat.interrupt();
        }
        // A run interrupted below may leave 'active' before it lets go of its task: remember what was held now.
        List<String> held = List.copyOf(active.keySet());
        active.values().forEach(c -> c.stop(RunControl.Stop.SHUTDOWN));
        journals.values().forEach(c -> c.stop(RunControl.Stop.SHUTDOWN));
        background.shutdown();
        try {
            if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
                background.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        held.forEach(id -> tasks.releaseIfHeld(id, runnerId));
    }
}
