package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.agent.TaskEvent.AgentRole;
import dev.steward.agent.TaskEvent.Kind;
import dev.steward.router.RoutedResponse;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What a run leaves in the store: the task row, its checkpoint, its events and its lease, always written together,
 * and the listener told of each event once it is saved.
 */
final class RunRecord {
    private final Agent agent;
    private final RunState state;
    private final TaskListener listener;
    private final long leaseMillis;
    /** The lease epoch this run's claim got: its writes are refused once another runner has claimed the task. */
    private final long epoch;
    private final long segmentStart = System.currentTimeMillis();
    /**
     * The texts this run's checkpoints have redacted, with what they became: each checkpoint holds all the earlier
     * texts again (prompt, memory context, history), and the privacy filter's patterns would run over them each time.
     */
    private final Map<String, String> redacted = new HashMap<>();
    private Task task;
    /** The status the store has: a transition is told once it is saved. */
    private TaskStatus lastSaved;

    RunRecord(Agent agent, Task task, RunState state, TaskListener listener, long leaseMillis, long epoch) {
        this.agent = agent;
        this.task = task;
        this.state = state;
        this.listener = listener;
        this.leaseMillis = leaseMillis;
        this.epoch = epoch;
        this.lastSaved = task.status();
    }

    /** The task as the run last changed it; the store has it once it is saved. */
    Task task() {
        return task;
    }

    /** Changes the task in memory; the next save writes it. */
    void update(UnaryOperator<TaskBuilder> change) {
        task = change.apply(new TaskBuilder(task)).build();
    }

    /** Time worked on the task: earlier stretches, and this one so far. */
    long workedMillis() {
        return state.activeMillis + System.currentTimeMillis() - segmentStart;
    }

    void transition(TaskStatus to) {
        if (task.status() == to) {
            save();
            return;
        }
        enter(to, UnaryOperator.identity());
    }

    /** Moves the task to {@code to} with the given change, saves it and tells the transition. */
    void enter(TaskStatus to, UnaryOperator<TaskBuilder> change) {
        update(b -> change.apply(b.status(to)));
        TaskStatus from = lastSaved;
        if (from == to) {
            save();
        } else {
            emit(Kind.STATUS, null, from.id() + " → " + to.id(), Json.object().put("from", from.id()).put("to", to.id()));
        }
    }

    void save() {
        save(leaseUntil());
    }

    /** Saves without holding the task: whoever sees it next may carry it on. */
    void release() {
        save(0);
    }

    private void save(long leaseUntil) {
        agent.tasks.save(row(), checkpoint(), leaseUntil, epoch);
    }

    /** Saves the run's progress and appends the event, in one write. */
    void emit(Kind kind, AgentRole role, String message, ObjectNode data) {
        emit(new TaskStore.NewEvent(kind, role, message, data));
    }

    /** Saves the run's progress and appends the events, in one write. */
    void emit(TaskStore.NewEvent... events) {
        for (TaskEvent event : agent.tasks.saveAndAppend(row(), checkpoint(), leaseUntil(), epoch, List.of(events))) {
            tell(() -> listener.onEvent(event));
        }
    }

    /** Streams a piece of the model's answer to the listener; it is not an event, the answer is saved whole. */
    void stream(String text) {
        tell(() -> listener.onText(text));
    }

    /** Tells of a model call once the run has taken in its answer (the event saves that state with it). */
    void reported(AgentRole role, RoutedResponse routed) {
        List<TaskStore.NewEvent> events = new ArrayList<>();
        events.add(new TaskStore.NewEvent(Kind.MODEL_CALL, role, "Asked " + routed.model(), Json.object()
                .put("model", routed.model()).put("provider", routed.provider()).put("reason", routed.reason())
                .put("tokens_in", routed.response().usage().inputTokens())
                .put("tokens_out", routed.response().usage().outputTokens())
                .put("latency_ms", routed.latencyMs()).put("cost_micros", routed.costMicros())
                .put("cache_hit", routed.cacheHit()).put("fallback_path", routed.fallbackPath())));
        if (routed.costMicros() > 0) {
            events.add(new TaskStore.NewEvent(Kind.COST, null, "Cost so far: " + state.costMicros + " µ$",
                    Json.object().put("cost_micros", state.costMicros)));
        }
        for (String notice : routed.notices()) {
            events.add(new TaskStore.NewEvent(Kind.BUDGET, null, notice, null));
        }
        emit(events.toArray(TaskStore.NewEvent[]::new)); // one write for all that one call tells
    }

    /** The task as it now stands; what is saved next. */
    private Task row() {
        update(b -> b.currentStep(state.plan == null ? null : Math.min(state.step + 1, state.plan.size()))
                .iteration(state.plan == null ? null : state.iteration).tokens(state));
        lastSaved = task.status();
        return task;
    }

    /**
     * The checkpoint, with the time worked so far in this stretch counted in. With memory (and so its privacy
     * filter), every text in it is filtered: card numbers, ID numbers and secrets the user said reach the model
     * from this process, never the disk.
     */
    private String checkpoint() {
        long before = state.activeMillis;
        state.activeMillis = workedMillis();
        try {
            if (agent.memory == null) {
                return Json.write(state);
            }
            JsonNode tree = Json.mapper().valueToTree(state);
            redactTexts(tree);
            return Json.write(tree);
        } finally {
            state.activeMillis = before;
        }
    }

    private void redactTexts(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> {
                if (field.getValue().isTextual()) {
                    object.put(field.getKey(), redact(field.getValue().asText()));
                } else {
                    redactTexts(field.getValue());
                }
            });
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, redact(array.get(i).asText()));
                } else {
                    redactTexts(array.get(i));
                }
            }
        }
    }

    private String redact(String text) {
        return redacted.computeIfAbsent(text, agent.memory::redact);
    }

    /** A task at work is held for the lease; a waiting or finished one is nobody's. */
    private long leaseUntil() {
        return task.status().finished() || task.status() == TaskStatus.WAITING_APPROVAL
                || task.status() == TaskStatus.WAITING_INPUT ? 0 : System.currentTimeMillis() + leaseMillis;
    }

    /**
     * Tells a listener or observer what happened. One only watches (a terminal, an SSE client that may have gone
     * away): its failure must not stop the task or leave it running forever, and the events are in the store anyway.
     */
    static void tell(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException ignored) {
            // It misses this notice; see above.
        }
    }
}
