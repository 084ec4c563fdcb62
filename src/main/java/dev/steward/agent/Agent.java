package dev.steward.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.memory.Memory;
import dev.steward.memory.MemoryContext;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.ModelException;
import dev.steward.router.RoutedResponse;
import dev.steward.router.RoutingException;
import dev.steward.router.Router;
import dev.steward.router.ToolCall;
import dev.steward.router.ToolDefinition;
import dev.steward.router.Usage;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a task to its end: the model and the tools take turns until the model answers, every step persisted as an
 * event. This is the simple (Employee) loop; planning and review come with the agent-runtime issue.
 */
public final class Agent {
    static final String SYSTEM_PROMPT = """
            You are Steward, a capable assistant for a person or a small business. Answer clearly and briefly. \
            Use the tools you are given when they help; never invent their results.""";

    private final Router router;
    private final TaskStore tasks;
    private final ActionGate gate;
    private final int maxSteps;
    private final IntentClassifier intents = new IntentClassifier();
    private final Memory memory;
    private final MemoryContext memoryContext;

    /** Every tool call goes through {@code gate}: policy, approval, rate limit and audit. */
    public Agent(Router router, TaskStore tasks, ActionGate gate, int maxSteps) {
        this(router, tasks, gate, maxSteps, null);
    }

    /**
     * @param memory what the agent remembers: its context goes into every request as a system message, and every
     *               finished exchange is learned from; null for an agent that remembers nothing
     */
    public Agent(Router router, TaskStore tasks, ActionGate gate, int maxSteps, Memory memory) {
        this.router = router;
        this.tasks = tasks;
        this.gate = gate;
        this.maxSteps = maxSteps;
        this.memory = memory;
        this.memoryContext = memory == null ? null : new MemoryContext(memory);
    }

    /** Runs one message to completion and returns the finished task: done, failed or cancelled. */
    public Task ask(AskRequest request, TaskListener listener) {
        return run(open(request), request, listener);
    }

    /** Records a new task for {@code request}, queued: its id exists before any work starts. */
    public Task open(AskRequest request) {
        long now = System.currentTimeMillis();
        Intent intent = intents.classify(request.input());
        // With memory (and so its privacy filter), card numbers, ID numbers, secrets and keys never reach the record.
        Task task = new Task(Ids.next(), request.userId(), request.conversationId(), TaskStatus.QUEUED, intent,
                memory == null ? request.input() : memory.redact(request.input()), null, null, null, 0, 0, 0, now,
                null, null);
        tasks.insert(task);
        return task;
    }

    /** Runs a task that {@link #open} recorded to its end: done, failed or cancelled. */
    public Task run(Task queued, AskRequest request, TaskListener listener) {
        Task task = new Task(queued.id(), queued.userId(), queued.conversationId(), TaskStatus.RUNNING,
                queued.intent(), queued.input(), null, null, null, 0, 0, 0, queued.createdAt(),
                System.currentTimeMillis(), null);
        tasks.update(task);
        emit(listener, task.id(), "started", null, "Task started", Json.object().put("intent", task.intent().id()));

        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system(SYSTEM_PROMPT));
        String remembered = memoryContext(listener, task, request);
        if (!remembered.isEmpty()) {
            messages.add(ChatMessage.system(remembered));
        }
        messages.addAll(request.history());
        messages.add(ChatMessage.user(request.input()));
        List<ToolDefinition> offered = gate.tools().all().stream()
                .map(t -> new ToolDefinition(t.spec().name(), t.spec().description(), t.spec().inputSchema()))
                .toList();

        Usage usage = Usage.NONE;
        long cost = 0;
        String model = null;
        boolean usedMemoryTools = false;
        try {
            for (int step = 1; step <= maxSteps; step++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                RoutedResponse routed = router.stream(ChatRequest.of(messages, offered),
                        new CallContext(request.userId(), task.id()), chunk -> {
                            if (!chunk.text().isEmpty()) {
                                tell(() -> listener.onText(chunk.text()));
                            }
                        });
                usage = usage.plus(routed.response().usage());
                cost += routed.costMicros();
                model = routed.model();
                emit(listener, task.id(), "model_call", "employee", "Asked " + routed.model(), Json.object()
                        .put("model", routed.model()).put("provider", routed.provider()).put("reason", routed.reason())
                        .put("tokens_in", routed.response().usage().inputTokens())
                        .put("tokens_out", routed.response().usage().outputTokens())
                        .put("latency_ms", routed.latencyMs()).put("cost_micros", routed.costMicros())
                        .put("cache_hit", routed.cacheHit()).put("fallback_path", routed.fallbackPath()));
                for (String notice : routed.notices()) {
                    emit(listener, task.id(), "budget", null, notice, null);
                }
                if (!routed.response().wantsTools()) {
                    learn(listener, task, request.input(), routed.response().text(), !usedMemoryTools);
                    return finish(listener, task, TaskStatus.DONE, routed.response().text(), null, model, usage, cost);
                }
                messages.add(ChatMessage.assistant(routed.response().text(), routed.response().toolCalls()));
                for (ToolCall call : routed.response().toolCalls()) {
                    usedMemoryTools |= call.name().startsWith("memory.");
                    messages.add(ChatMessage.tool(call, runTool(listener, task, call)));
                }
            }
            return finish(listener, task, TaskStatus.FAILED, null,
                    "stopped after " + maxSteps + " steps without an answer", model, usage, cost);
        } catch (InterruptedException e) {
            return finish(listener, task, TaskStatus.CANCELLED, null, "cancelled", model, usage, cost);
        } catch (ModelException | RoutingException e) {
            if (Thread.interrupted()) {
                return finish(listener, task, TaskStatus.CANCELLED, null, "cancelled", model, usage, cost);
            }
            return finish(listener, task, TaskStatus.FAILED, null, e.getMessage(), model, usage, cost);
        }
    }

    private String memoryContext(TaskListener listener, Task task, AskRequest request) {
        if (memoryContext == null) {
            return "";
        }
        try {
            return memoryContext.assemble(request.userId(), request.input(), MemoryContext.DEFAULT_BUDGET_TOKENS);
        } catch (RuntimeException e) {
            emit(listener, task.id(), "memory", null, "Memory unavailable: " + e.getMessage(), null);
            return "";
        }
    }

    /**
     * Learns from a finished exchange: stores it as an episode and, unless a memory tool already handled what the
     * user said, the facts stated in it. A contradiction or something left out for privacy is told as an event.
     */
    private void learn(TaskListener listener, Task task, String input, String answer, boolean extractFacts) {
        if (memory == null) {
            return;
        }
        try {
            Memory.Learned learned = memory.learn(task.userId(), input, answer, task.id(), extractFacts);
            if (!learned.contradictions().isEmpty() || !learned.leftOut().isEmpty() || learned.changed()) {
                emit(listener, task.id(), "memory", null, learned.summary(), null);
            }
        } catch (RuntimeException e) {
            emit(listener, task.id(), "memory", null, "Memory not updated: " + e.getMessage(), null);
        }
    }

    private String runTool(TaskListener listener, Task task, ToolCall call) {
        emit(listener, task.id(), "tool_call", "employee", "Calling " + call.name(),
                Json.object().put("tool", call.name()).set("arguments", memory == null ? call.arguments()
                        : Json.parse(memory.redact(Json.write(call.arguments())))));
        ActionGate.Outcome outcome;
        try {
            outcome = gate.call(call.name(), call.arguments(), new ToolContext(task.userId(), task.id()));
        } catch (RuntimeException e) {
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            outcome = new ActionGate.Outcome(ActionGate.Status.FAILED, call.name(), null, null, null, error);
        }
        ObjectNode data = Json.object().put("tool", call.name()).put("ok", outcome.ok())
                .put("status", outcome.status().name().toLowerCase(java.util.Locale.ROOT));
        if (outcome.approvalId() != null) {
            data.put("approval_id", outcome.approvalId());
        }
        if (outcome.status() == ActionGate.Status.NEEDS_APPROVAL) {
            emit(listener, task.id(), "approval_needed", "employee", call.name() + " " + outcome.message(), data);
        }
        emit(listener, task.id(), "tool_result", "employee",
                outcome.ok() ? call.name() + " done" : call.name() + " failed: " + outcome.message(), data);
        return Json.write(outcome.asJson());
    }

    private Task finish(TaskListener listener, Task task, TaskStatus status, String answer, String error,
                        String model, Usage usage, long cost) {
        Task finished = new Task(task.id(), task.userId(), task.conversationId(), status, task.intent(),
                task.input(), answer, error, model, usage.inputTokens(), usage.outputTokens(), cost,
                task.createdAt(), task.startedAt(), System.currentTimeMillis());
        tasks.update(finished);
        ObjectNode data = Json.object().put("tokens_in", usage.inputTokens()).put("tokens_out", usage.outputTokens())
                .put("cost_micros", cost);
        emit(listener, task.id(), status.id(), null, switch (status) {
            case DONE -> "Done";
            case CANCELLED -> "Cancelled";
            default -> "Failed: " + error;
        }, data);
        return finished;
    }

    private void emit(TaskListener listener, String taskId, String type, String role, String message, ObjectNode data) {
        TaskEvent event = tasks.append(taskId, type, role, message, data);
        tell(() -> listener.onEvent(event));
    }

    /**
     * Tells a listener what happened. A listener only watches (a terminal, an SSE client that may have gone away):
     * its failure must not stop the task or leave it running forever; the events are in the store regardless.
     */
    private static void tell(Runnable notification) {
        try {
            notification.run();
        } catch (RuntimeException ignored) {
            // The watcher missed this one; the record is complete.
        }
    }
}
