package dev.steward.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.steward.actions.Compensation;
import dev.steward.actions.Tool;
import dev.steward.agent.TaskEvent.AgentRole;
import dev.steward.agent.TaskEvent.Kind;
import dev.steward.config.AgentsConfig;
import dev.steward.memory.Memory;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.Complexity;
import dev.steward.router.ModelException;
import dev.steward.router.RoutedResponse;
import dev.steward.router.RoutingException;
import dev.steward.router.ToolCall;
import dev.steward.router.ToolDefinition;
import dev.steward.support.DataFence;
import dev.steward.support.Json;
import dev.steward.telemetry.TraceSpan;
import dev.steward.telemetry.Tracing;
import java.util.ArrayList;
import java.util.List;

/**
 * One stretch of work on a task, in one thread: from its checkpoint to its end or to a wait for a person. The task
 * is a state machine (queued → planning → running ⇄ waiting_approval / waiting_input → reviewing → done | failed |
 * cancelled); each transition, model turn and tool call is saved before the next begins.
 */
final class Run {
    /** The tool the Employee asks the user with; the runtime answers it, not the gate: it acts on nothing. */
    static final String ASK_USER = "steward.ask_user";
    static final ToolDefinition ASK_USER_TOOL = new ToolDefinition(ASK_USER,
            "Ask the user a question when something essential is missing; the task waits for the answer.",
            Json.parse("{\"type\":\"object\",\"properties\":{\"question\":{\"type\":\"string\"}},"
                    + "\"required\":[\"question\"]}"));
    /** How long a runner may be silent before another may take its task over. */
    static final long DEFAULT_LEASE_MILLIS = 30_000;

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Run.class.getName());

    /** Thrown to leave the loop: the task ended, stopped or waits. */
    private static final class Leave extends RuntimeException {
        Leave() {
            super(null, null, false, false);
        }
    }

    private final Agent agent;
    private final RunState state;
    private final RunControl control;
    private final RunRecord record;
    private final ToolStep tools;
    private final Supervision supervision;
    /** Undo actions of the tool calls this process made: cancellation runs them, newest first. */
    private final List<Compensation> compensations = new ArrayList<>();
    /**
     * What the user wrote. The record holds it with secrets cut out; the process it was said to has it whole, and
     * gives it to the model; a run resumed elsewhere has only the record's.
     */
    private final String input;

    Run(Agent agent, Task task, RunState state, RunControl control, TaskListener listener, long leaseMillis,
        long epoch, String input) {
        this.input = input == null ? task.input() : input;
        this.agent = agent;
        this.state = state;
        this.control = control;
        this.record = new RunRecord(agent, task, state, listener, leaseMillis, epoch);
        this.tools = new ToolStep(agent, state, record, this.input);
        this.supervision = new Supervision(agent, state, record, messages -> call("supervisor",
                agent.config.supervisor().tier(), messages, List.of(), true, false));
    }

    Task drive() {
        control.attach(Thread.currentThread());
        if (task().status().finished()) {
            return task();
        }
        try (TraceSpan span = Tracing.task(task().id(), task().userId())) {
            Task result = work();
            span.outcome(result.status().id());
            return result;
        }
    }

    private Task work() {
        Thread watchdog = timeLimitWatchdog();
        try {
            if (task().status() == TaskStatus.WAITING_INPUT) {
                return task(); // only an answer wakes it: see answer()
            }
            if (task().status() == TaskStatus.WAITING_APPROVAL) {
                carry(tools.decision());
            }
            start();
            while (true) {
                checkStop();
                try (TraceSpan span = Tracing.step(phase(), state.step + 1)) {
                    if (state.plan == null) {
                        plan();
                    } else if (state.step >= state.plan.size()) {
                        finishDone();
                    } else if (state.stepAnswer != null) {
                        supervision.review();
                    } else if (!state.pendingCalls.isEmpty()) {
                        carry(tools.next());
                    } else {
                        turn();
                    }
                }
            }
        } catch (Leave leave) {
            return task();
        } catch (TaskStore.LeaseLost lost) {
            return overtaken(lost);
        } finally {
            watchdog.interrupt();
        }
    }

    /** What the loop does next, as the step's span names it; the same order as the loop's own choice. */
    private String phase() {
        return state.plan == null ? "plan" : state.step >= state.plan.size() ? "finish"
                : state.stepAnswer != null ? "review" : !state.pendingCalls.isEmpty() ? "tool" : "turn";
    }

    /**
     * Stops the run when its working time runs out, even in the middle of a model or tool call; between calls,
     * {@link #checkStop} finds it first.
     */
    private Thread timeLimitWatchdog() {
        // The longest limit any step may have: a profile's own may be longer than agents.time_limit_seconds, and
        // checkStop holds each step to its own between calls.
        int longest = agent.config.profiles().stream().map(AgentsConfig.Profile::timeLimitSeconds)
                .filter(java.util.Objects::nonNull).reduce(agent.config.timeLimitSeconds(), Math::max);
        long left = longest * 1000L - state.activeMillis;
        return Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(Math.max(1, left));
                control.stop(RunControl.Stop.TIME_LIMIT);
            } catch (InterruptedException ended) {
                // The run ended or stopped to wait first.
            }
        });
    }

    /** Ends a task that no thread is working on (waiting, or left by a stopped process) as cancelled. */
    Task cancelNow() {
        try {
            cancelled();
        } catch (Leave leave) {
            // ended
        } catch (TaskStore.LeaseLost lost) {
            return overtaken(lost);
        }
        return task();
    }

    /** Wakes a task waiting for input with the user's answer, then carries on. */
    Task answer(String text) {
        control.attach(Thread.currentThread());
        if (task().status() != TaskStatus.WAITING_INPUT || state.pendingCalls.isEmpty()) {
            throw new IllegalStateException("task " + task().id() + " is " + task().status().id()
                    + ", not waiting for an answer");
        }
        ToolCall asked = state.pendingCalls.removeFirst();
        state.messages.add(ChatMessage.tool(asked, Json.write(Json.object().put("answer", text))));
        state.answers.add(text);
        state.question = null;
        record.update(b -> b.question(null));
        String told = agent.redact(text);
        try {
            record.emit(Kind.ANSWER, null, "Answer: " + told, Json.object().put("text", told));
            record.transition(TaskStatus.RUNNING);
        } catch (TaskStore.LeaseLost lost) {
            return overtaken(lost);
        }
        return drive();
    }

    /**
     * Another runner claimed the task while this one was away longer than its lease (frozen, cut off, starved): the
     * store refused the write. The run stops here and writes nothing more; the other runner carries the task on.
     */
    private Task overtaken(TaskStore.LeaseLost lost) {
        LOG.warning(lost.getMessage() + ": this process was away longer than its lease; it stops working on the"
                + " task and writes nothing more (the other runner carries it on)");
        return agent.tasks.find(task().id()).orElse(task());
    }

    // ---- the phases

    private void start() {
        if (task().startedAt() == null) {
            Intent intent = task().intent() != null ? task().intent() : classify();
            record.update(b -> b.status(TaskStatus.RUNNING).intent(intent).startedAt(System.currentTimeMillis()));
            record.emit(new TaskStore.NewEvent(Kind.STARTED, null, "Task started (" + intent.id() + ")",
                            Json.object().put("intent", intent.id())),
                    new TaskStore.NewEvent(Kind.STATUS, null, "queued → running",
                            Json.object().put("from", "queued").put("to", "running")));
        } else if (task().status() != TaskStatus.RUNNING) {
            record.transition(TaskStatus.RUNNING);
        }
        if (state.callStarted) {
            tools.retryInFlight().ifPresent(this::fail);
        }
    }

    private Intent classify() {
        try {
            return agent.intents.classify(input, state.history, new CallContext(task().userId(), task().id(),
                    "manager", Complexity.SIMPLE, 0));
        } catch (RuntimeException e) {
            return Intent.SIMPLE_ACTION;
        }
    }

    /**
     * The Manager plans a complex task; anything else is one step, carried out as asked. Offline there is no
     * Manager: the offline model acts on the user's own words, so the request goes to it as it was said.
     */
    private void plan() {
        Planner planner = new Planner(agent.config, agent.gate.tools());
        if (task().intent() == Intent.COMPLEX_TASK && state.toolsAllowed && !agent.router.offline()) {
            record.transition(TaskStatus.PLANNING);
            state.managed = true;
            RoutedResponse planned = call("manager", agent.config.manager().tier(), List.of(
                    ChatMessage.system(agent.config.manager().prompt() + planner.agentList()),
                    ChatMessage.user(input)), List.of(), true, false);
            record.reported(AgentRole.MANAGER, planned);
            List<PlanStep> steps = planner.parse(planned.response().text(), state.agent);
            if (steps == null || steps.isEmpty()) {
                steps = List.of(planner.single(task().input(), state.agent));
            }
            state.plan = steps;
            ArrayNode data = Json.mapper().createArrayNode();
            StringBuilder text = new StringBuilder("Plan: " + steps.size() + (steps.size() == 1 ? " step" : " steps"));
            for (PlanStep s : steps) {
                data.add(Json.mapper().valueToTree(s));
                text.append("\n  ").append(s.n()).append(". ").append(s.goal()).append(" (").append(s.agent())
                        .append(", ~").append(s.estimateSeconds()).append(" s)");
            }
            record.update(b -> b.status(TaskStatus.PLANNING).plan(Json.object().set("steps", data)));
            record.emit(Kind.PLAN, AgentRole.MANAGER, text.toString(), Json.object().set("steps", data));
            record.transition(TaskStatus.RUNNING);
        } else {
            // Saved with the model call's write: a restart before it plans this again and repeats the call anyway.
            state.plan = List.of(state.agent == null ? new PlanStep(1, task().input(), null, List.of(), 0)
                    : planner.single(task().input(), state.agent));
        }
    }

    /** One Employee turn: the model answers the step, or asks for tools. */
    private void turn() {
        PlanStep step = state.currentStep();
        if (state.messages.isEmpty()) {
            beginStep(step);
        }
        AgentsConfig.Profile profile = profile(step);
        Limit maxSteps = limit(profile, AgentsConfig.Profile::maxSteps, agent.config.maxSteps(), "max_steps");
        if (state.turns >= maxSteps.value()) {
            fail("step limit: " + maxSteps.value() + " model turns on step " + (state.step + 1)
                    + " without an answer (raise " + maxSteps.setting() + " in steward.yaml if the work needs more)");
        }
        state.turns++;
        String tier = profile != null ? profile.tier() : agent.config.employee().tier();
        boolean stream = !state.managed;
        RoutedResponse routed = call("employee", tier, state.messages, offeredTools(profile), false, stream);
        if (routed.response().wantsTools()) {
            state.messages.add(ChatMessage.assistant(routed.response().text(), routed.response().toolCalls()));
            state.pendingCalls.addAll(routed.response().toolCalls());
        } else {
            state.stepAnswer = routed.response().text();
        }
        record.reported(AgentRole.EMPLOYEE, routed);
    }

    private void beginStep(PlanStep step) {
        AgentsConfig.Profile profile = profile(step);
        String prompt = profile == null || profile.prompt().isEmpty() ? agent.config.employee().prompt()
                : profile.prompt() + "\n\n" + agent.config.employee().prompt();
        StepContext.add(agent, state, record, task().userId(), input, prompt);
        state.messages.addAll(state.history);
        if (!state.managed) {
            state.messages.add(ChatMessage.user(input));
            return;
        }
        StringBuilder brief = new StringBuilder("The task: ").append(input).append("\n\nThe plan:\n");
        for (PlanStep s : state.plan) {
            brief.append(s.n()).append(". ").append(s.goal()).append('\n');
        }
        for (int i = 0; i < state.results.size(); i++) {
            // After untrusted content, an earlier step's result may repeat it: it is data for this step too.
            String result = state.untrusted.isEmpty() ? state.results.get(i)
                    : DataFence.wrap("step " + (i + 1) + ", which read untrusted content", state.results.get(i));
            brief.append("\nResult of step ").append(i + 1).append(":\n").append(result).append('\n');
        }
        brief.append("\nDo step ").append(step.n()).append(" of ").append(state.plan.size()).append(": ")
                .append(step.goal()).append("\nAnswer with its result.");
        state.messages.add(ChatMessage.user(brief.toString()));
        long eta = etaSeconds();
        record.update(b -> b.status(TaskStatus.RUNNING).agent(step.agent()));
        record.emit(Kind.STEP, AgentRole.EMPLOYEE, "Step " + step.n() + " of " + state.plan.size() + ": " + step.goal()
                        + (step.agent() == null ? "" : " (" + step.agent() + ")") + (eta > 0 ? ", about " + eta + " s left" : ""),
                Json.object().put("step", step.n()).put("of", state.plan.size()).put("goal", step.goal())
                        .put("agent", step.agent()).put("eta_seconds", eta));
    }

    /** What a tool step means for the run: it carries on, stops to wait for a person, or fails. */
    private void carry(ToolStep.Outcome outcome) {
        switch (outcome) {
            case ToolStep.Called called -> called.undo().ifPresent(compensations::add);
            case ToolStep.WaitsForAnswer waits -> throw new Leave();
            case ToolStep.WaitsForApproval waits -> throw new Leave();
            case ToolStep.Fails fails -> fail(fails.reason());
        }
    }

    // ---- the ends

    private void finishDone() {
        String answer;
        if (state.results.size() == 1) {
            answer = state.results.getFirst();
        } else {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < state.results.size(); i++) {
                text.append(i == 0 ? "" : "\n\n").append("Step ").append(i + 1).append(" — ")
                        .append(state.plan.get(i).goal()).append(":\n").append(state.results.get(i));
            }
            answer = text.toString();
        }
        TaskStore.NewEvent learned = learn(answer);
        end(TaskStatus.DONE, answer, null, "Done", learned);
    }

    private void fail(String reason) {
        end(TaskStatus.FAILED, null, reason, "Failed: " + reason, null);
    }

    private void cancelled() {
        List<String> undone = new ArrayList<>();
        for (Compensation undo : compensations.reversed()) {
            try {
                undo.run();
                undone.add(undo.description());
            } catch (Exception e) {
                undone.add(undo.description() + " FAILED: " + e.getMessage());
            }
        }
        end(TaskStatus.CANCELLED, null, "cancelled", undone.isEmpty() ? "Cancelled"
                : "Cancelled; undone: " + String.join("; ", undone), null);
    }

    /** Ends the task in one write: the row, {@code before} (if any) and the events that tell the end. */
    private void end(TaskStatus status, String answer, String error, String message, TaskStore.NewEvent before) {
        TaskStatus from = task().status();
        record.update(b -> b.status(status).answer(answer).error(error).question(null)
                .finishedAt(System.currentTimeMillis()));
        List<TaskStore.NewEvent> events = new ArrayList<>(before == null ? List.of() : List.of(before));
        events.add(new TaskStore.NewEvent(Kind.STATUS, null, from.id() + " → " + status.id(),
                Json.object().put("from", from.id()).put("to", status.id())));
        events.add(new TaskStore.NewEvent(Kind.ending(status), null, message, Json.object()
                .put("tokens_in", state.tokensIn).put("tokens_out", state.tokensOut).put("cost_micros", state.costMicros)));
        record.emit(events.toArray(TaskStore.NewEvent[]::new));
        throw new Leave();
    }

    private void checkStop() {
        RunControl.Stop stop = control.requested();
        if (stop == RunControl.Stop.SHUTDOWN) {
            Thread.interrupted(); // the store must still be written to
            record.release();
            throw new Leave();
        }
        if (stop == RunControl.Stop.CANCEL) {
            Thread.interrupted();
            cancelled();
        }
        long worked = record.workedMillis();
        if (stop == RunControl.Stop.TIME_LIMIT) {
            Thread.interrupted();
            fail("time limit: worked " + worked / 1000 + " s, more than the " + agent.config.timeLimitSeconds()
                    + " s allowed (agents.time_limit_seconds in steward.yaml)");
        }
        PlanStep step = state.currentStep();
        Limit limit = limit(profile(step), AgentsConfig.Profile::timeLimitSeconds, agent.config.timeLimitSeconds(),
                "time_limit_seconds");
        if (worked > limit.value() * 1000L) {
            fail("time limit: worked " + worked / 1000 + " s, more than the " + limit.value()
                    + " s allowed (" + limit.setting() + " in steward.yaml)");
        }
    }

    // ---- helpers

    private Task task() {
        return record.task();
    }

    private RoutedResponse call(String role, String tier, List<ChatMessage> messages, List<ToolDefinition> tools,
                                boolean json, boolean stream) {
        RoutedResponse routed;
        try {
            String model = ModelChoice.named(state.requestedModel, "employee".equals(role)
                    ? profile(state.currentStep()) : null, task().userId(), agent.flags);
            routed = agent.router.stream(new ChatRequest(messages, tools, model, null, null, json),
                    new CallContext(task().userId(), task().id(), role, complexity(tier), 0), chunk -> {
                        if (stream && !chunk.text().isEmpty()) {
                            record.stream(chunk.text());
                        }
                    });
        } catch (ModelException | RoutingException e) {
            checkStop();
            fail(e.getMessage());
            throw new Leave();
        }
        checkStop();
        state.tokensIn += routed.response().usage().inputTokens();
        state.tokensOut += routed.response().usage().outputTokens();
        state.costMicros += routed.costMicros();
        state.model = routed.model();
        return routed;
    }

    /** A role's tier as a hint to the router: cheap models first, the strongest first, or its own estimate. */
    static Complexity complexity(String tier) {
        return switch (tier == null ? "" : tier) {
            case "cheap", "fast", "simple" -> Complexity.SIMPLE;
            case "smart", "strong", "complex" -> Complexity.COMPLEX;
            case "critical" -> Complexity.CRITICAL;
            default -> null;
        };
    }

    private List<ToolDefinition> offeredTools(AgentsConfig.Profile profile) {
        if (!state.toolsAllowed) {
            return List.of();
        }
        List<ToolDefinition> offered = new ArrayList<>();
        for (Tool t : agent.gate.tools().all()) {
            if (profile == null || profile.allows(t.spec().name())) {
                offered.add(new ToolDefinition(t.spec().name(), t.spec().description(), t.spec().inputSchema()));
            }
        }
        if (!agent.router.offline()) {
            offered.add(ASK_USER_TOOL);
        }
        return offered;
    }

    /** A limit in force: a profile's own, or the global one, with the setting in steward.yaml that holds it. */
    private record Limit(int value, String setting) {}

    private static Limit limit(AgentsConfig.Profile profile, java.util.function.Function<AgentsConfig.Profile,
            Integer> own, int global, String key) {
        Integer mine = profile == null ? null : own.apply(profile);
        return mine != null ? new Limit(mine, "the " + key + " of agent profile '" + profile.name() + "'")
                : new Limit(global, "agents." + key);
    }

    private AgentsConfig.Profile profile(PlanStep step) {
        return step == null || step.agent() == null ? null : agent.config.profile(step.agent()).orElse(null);
    }

    private long etaSeconds() {
        long remaining = 0;
        long doneEstimate = 0;
        for (PlanStep s : state.plan) {
            if (s.n() - 1 < state.step) {
                doneEstimate += s.estimateSeconds();
            } else {
                remaining += s.estimateSeconds();
            }
        }
        long worked = record.workedMillis() / 1000;
        // Once steps have finished, scale the estimates by how fast the work has really gone.
        return doneEstimate > 0 && worked > 0 ? Math.round(remaining * (double) worked / doneEstimate) : remaining;
    }

    /**
     * Learns from a finished exchange: stores it as an episode and, unless a memory tool already handled what the
     * user said, the facts stated in it. Returns the event telling a contradiction or what privacy left out, if any.
     */
    private TaskStore.NewEvent learn(String answer) {
        if (agent.memory == null) {
            return null;
        }
        try {
            Memory.Learned learned = agent.memory.learn(task().userId(), input, answer, task().id(),
                    !state.usedMemoryTools);
            boolean told = !learned.contradictions().isEmpty() || !learned.leftOut().isEmpty() || learned.changed();
            return told ? new TaskStore.NewEvent(Kind.MEMORY, null, learned.summary(), null) : null;
        } catch (RuntimeException e) {
            return new TaskStore.NewEvent(Kind.MEMORY, null, "Memory not updated: " + e.getMessage(), null);
        }
    }
}
