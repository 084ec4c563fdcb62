package dev.steward.store;

import dev.steward.agent.Task;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskStatus;
import dev.steward.agent.TaskStore;
import dev.steward.config.DatabaseConfig;
import dev.steward.router.Locality;
import dev.steward.router.ModelCall;
import dev.steward.router.ModelCallLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Another Steward process on the same home, for the tests that need more than one: it writes tasks, their events and
 * their model calls through the real stores, and prints each task's id on stdout once all of its rows are committed.
 *
 * <p>Arguments: {@code HOME PREFIX THREADS COUNT}; each thread writes COUNT tasks named {@code PREFIX-T-I} (COUNT -1:
 * until killed), then the process prints {@code done}.
 */
public final class StoreWriter {
    /** Rows one written task leaves: 1 task, {@value #EVENTS_PER_TASK} events, 1 model call. */
    static final int EVENTS_PER_TASK = 2;

    private StoreWriter() {}

    public static void main(String[] args) throws InterruptedException {
        Path home = Path.of(args[0]);
        String prefix = args[1];
        int threads = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);

        Database database = Database.open(home, DatabaseConfig.embedded());
        TaskStore tasks = new TaskStore(database);
        ModelCallLog calls = new ModelCallLog(database);
        List<Thread> writers = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads; t++) {
            String threadPrefix = prefix + "-" + t;
            writers.add(Thread.ofPlatform().name(threadPrefix).start(() -> {
                try {
                    for (int i = 0; count < 0 || i < count; i++) {
                        String id = threadPrefix + "-" + i;
                        writeTask(tasks, calls, id);
                        synchronized (System.out) {
                            System.out.println(id);
                            System.out.flush();
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                    e.printStackTrace();
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        if (failure[0] != null) {
            System.exit(1);
        }
        System.out.println("done");
    }

    /** What one task leaves in the database, written the way the agent does: one short transaction per row. */
    static void writeTask(TaskStore tasks, ModelCallLog calls, String id) {
        long now = System.currentTimeMillis();
        Task queued = new Task(id, "local", null, TaskStatus.QUEUED, null, "input of " + id, null, null, null,
                0, 0, 0, now, null, null);
        tasks.insert(queued);
        tasks.append(id, TaskEvent.Kind.STARTED, null, "task created", null);
        calls.record(new ModelCall("c" + id, id, "local", "offline", "offline-1", Locality.OFFLINE, "test", null,
                10, 20, 30, 5, null, false, "ok", null, now));
        calls.flush();
        tasks.update(new Task(id, "local", null, TaskStatus.DONE, null, queued.input(), "answer of " + id, null,
                "offline-1", 10, 20, 30, now, now, System.currentTimeMillis()));
        tasks.append(id, TaskEvent.Kind.DONE, TaskEvent.AgentRole.EMPLOYEE, "answer of " + id, null);
        // Read back what was just written, as another process may be writing meanwhile.
        Task found = tasks.find(id).orElseThrow(() -> new AssertionError("task " + id + " not found after insert"));
        if (found.status() != TaskStatus.DONE || tasks.events(id).size() != EVENTS_PER_TASK) {
            throw new AssertionError("task " + id + " read back as " + found + " with " + tasks.events(id));
        }
    }
}
