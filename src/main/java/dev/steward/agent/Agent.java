package dev.steward.agent;

import dev.steward.actions.ActionGate;
import dev.steward.config.AgentsConfig;
import dev.steward.memory.Memory;
import dev.steward.memory.MemoryContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.Router;
import dev.steward.router.Usage;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs tasks: what a message asks for is classified, a complex task is planned by the Manager, each step is carried
 * out by the Employee (model ⇄ tools through the gate) and reviewed by the Supervisor. Every step is persisted as an
 * event and as a checkpoint, so that a task waiting for a person, or cut off by a restart, carries on later.
 */
public final class Agent {
    /** The Employee's instructions unless steward.yaml says otherwise. */
    public static final String SYSTEM_PROMPT = AgentsConfig.EMPLOYEE_PROMPT;

    final Router router;
    final TaskStore tasks;
    final ActionGate gate;
    final AgentsConfig config;
    final IntentClassifier intents;
    final Memory memory;
    final MemoryContext memoryContext;
    /** What other parts add to the Employee's context, after memory (the skills it can use). */
    final java.util.List<ContextSection> sections;
    /** Whether a feature flag is on for a user: a profile's {@code model} may wait on one. */
    final FlagCheck flags;

    /** Every tool call goes through {@code gate}: policy, approval, rate limit and audit. */
    public Agent(Router router, TaskStore tasks, ActionGate gate, int maxSteps) {
        this(router, tasks, gate, maxSteps, null);
    }

    /**
     * An agent with the default runtime settings and the lexical intent classifier.
     *
     * @param memory what the agent remembers: its context goes into every request as a system message, and every
     *               finished exchange is learned from; null for an agent that remembers nothing
     */
    public Agent(Router router, TaskStore tasks, ActionGate gate, int maxSteps, Memory memory) {
        this(router, tasks, gate, memory, AgentsConfig.defaults().withMaxSteps(maxSteps), IntentClassifier.lexical());
    }

    public Agent(Router router, TaskStore tasks, ActionGate gate, Memory memory, AgentsConfig config,
                 IntentClassifier intents) {
        this(router, tasks, gate, memory, config, intents, List.of());
    }

    /** @param sections what other parts add to the Employee's context, in this order, after memory */
    public Agent(Router router, TaskStore tasks, ActionGate gate, Memory memory, AgentsConfig config,
                 IntentClassifier intents, List<ContextSection> sections) {
        this(router, tasks, gate, memory, config, intents, sections, FlagCheck.NONE);
    }

    /** @param flags whether a feature flag is on for a user, for profiles whose model waits on a flag */
    public Agent(Router router, TaskStore tasks, ActionGate gate, Memory memory, AgentsConfig config,
                 IntentClassifier intents, List<ContextSection> sections, FlagCheck flags) {
        this.flags = flags;
        this.sections = List.copyOf(sections);
        this.router = router;
        this.tasks = tasks;
        this.gate = gate;
        this.memory = memory;
        this.memoryContext = memory == null ? null : new MemoryContext(memory);
        this.config = config;
        this.intents = intents;
    }

    /** Runs one message to completion (or to a wait for a person) and returns the task. */
    public Task ask(AskRequest request, TaskListener listener) {
        return run(open(request), request, listener);
    }

    /** The text without what the privacy filter keeps out of records (card numbers, secrets…); as is without memory. */
    String redact(String text) {
        return memory == null ? text : memory.redact(text);
    }

    /** A request named an agent profile that the configuration does not have. */
    public static final class UnknownAgent extends IllegalArgumentException {
        UnknownAgent(String message) {
            super(message);
        }
    }

    /** Records a new task for {@code request}, queued: its id exists before any work starts. */
    public Task open(AskRequest request) {
        return open(request, null, 0);
    }

    Task open(AskRequest request, String runnerId, long leaseUntil) {
        if (request.agent() != null && config.profile(request.agent()).isEmpty()) {
            throw new UnknownAgent("no agent named '" + request.agent() + "'; agents: "
                    + String.join(", ", config.profileNames()) + " (agents.profiles in steward.yaml)");
        }
        // With memory (and so its privacy filter), card numbers, ID numbers, secrets and keys never reach the record.
        Task task = new Task(Ids.next(), request.userId(), request.conversationId(), TaskStatus.QUEUED, null,
                redact(request.input()), null, null, null, 0, 0, 0,
                System.currentTimeMillis(), null, null, request.agent(), null, null, null, null, null, request.source());
        RunState state = new RunState();
        state.agent = request.agent();
        state.toolsAllowed = request.toolsAllowed();
        state.requestedModel = request.model();
        state.history = trimmed(request.history(), historyBudget());
        tasks.insert(task, Json.write(state), runnerId, leaseUntil);
        return task;
    }

    /** Runs a task that {@link #open} recorded to its end, or until it waits for a person. */
    public Task run(Task queued, AskRequest request, TaskListener listener) {
        return load(queued.id(), java.util.OptionalLong.empty(), new RunControl(), task -> listener,
                Run.DEFAULT_LEASE_MILLIS, request.input()).drive();
    }

    /**
     * A run of the task from its last checkpoint.
     *
     * @param epoch    the lease epoch the caller's claim got; empty for the task's own (no claim: it opened it)
     * @param listener who follows the run, given its task
     * @param input    what the user wrote, when this process has it; null to use the record's (secrets cut out)
     */
    Run load(String taskId, java.util.OptionalLong epoch, RunControl control, java.util.function.Function<Task, TaskListener> listener,
             long leaseMillis, String input) {
        TaskStore.Saved saved = tasks.saved(taskId).orElseThrow(() -> new IllegalStateException("no task " + taskId));
        RunState state = saved.checkpoint() == null ? new RunState() : Json.read(saved.checkpoint(), RunState.class);
        return new Run(this, saved.task(), state, control, listener.apply(saved.task()), leaseMillis,
                epoch.orElse(saved.epoch()), input);
    }

    /** The token budget for earlier conversation: as configured, and at most half the smallest model context. */
    int historyBudget() {
        int budget = config.historyTokens();
        if (!router.offline()) {
            for (var route : router.routes()) {
                if (route.contextLength() > 0) {
                    budget = Math.min(budget, route.contextLength() / 2);
                }
            }
        }
        return budget;
    }

    /**
     * The newest messages of a conversation that fit in {@code budget} tokens, oldest first. A tool result never
     * starts the kept part, since a model cannot read a tool result without the call it answers.
     */
    static List<ChatMessage> trimmed(List<ChatMessage> history, int budget) {
        long used = 0;
        int from = history.size();
        while (from > 0) {
            long cost = Usage.estimateTokens(history.get(from - 1).content()) + 4;
            if (used + cost > budget) {
                break;
            }
            used += cost;
            from--;
        }
        while (from < history.size() && history.get(from).role() == ChatMessage.Role.TOOL) {
            from++;
        }
        return new ArrayList<>(history.subList(from, history.size()));
    }
}
