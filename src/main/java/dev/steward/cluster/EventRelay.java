package dev.steward.cluster;

import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Streams the events of tasks other nodes run to this node's observers (its SSE clients), by reading the persisted
 * {@code task_events}. It reads again a margin of recent time on every poll, so an event written by a node whose
 * clock is a few seconds behind, or committed late, is not missed; what it has relayed already it skips.
 */
final class EventRelay {
    /** How far back each poll reads again: tolerates this much clock difference between nodes. */
    static final long MARGIN_MILLIS = 10_000;

    private final TaskStore tasks;
    private final TaskRunner runner;
    private final Map<String, Long> relayed = new HashMap<>();
    private long since;

    EventRelay(TaskStore tasks, TaskRunner runner, Clock clock) {
        this.tasks = tasks;
        this.runner = runner;
        this.since = clock.millis() - MARGIN_MILLIS;
    }

    void poll() {
        long newest = since;
        for (TaskStore.UserEvent e : tasks.eventsOfOtherRunners(since, runner.runnerId())) {
            long at = e.event().createdAt();
            if (relayed.putIfAbsent(e.event().taskId() + ":" + e.event().seq(), at) == null) {
                runner.relay(e.userId(), e.event());
            }
            newest = Math.max(newest, at);
        }
        since = Math.max(since, newest - MARGIN_MILLIS);
        relayed.values().removeIf(at -> at < since);
    }
}
