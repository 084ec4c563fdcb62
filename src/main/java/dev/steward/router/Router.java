package dev.steward.router;

import dev.steward.config.RoutingMode;
import dev.steward.support.Ids;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every model call goes through here, whoever makes it: the router chooses the model, makes the call and records
 * it. With no provider configured (or {@code routing.mode: offline}) it routes to the {@link OfflineModel}.
 */
public final class Router {
    private final List<ChatModel> models;
    private final OfflineModel offline = new OfflineModel();
    private final ModelCallLog log;
    private final RoutingMode mode;

    public Router(List<ChatModel> models, ModelCallLog log, RoutingMode mode) {
        this.models = List.copyOf(models);
        this.log = log;
        this.mode = mode;
    }

    /** True when every call goes to the offline model. */
    public boolean offline() {
        return mode == RoutingMode.OFFLINE || models.isEmpty();
    }

    public RoutingMode mode() {
        return mode;
    }

    public RoutedResponse chat(ChatRequest request, CallContext context) {
        return stream(request, context, text -> {});
    }

    public RoutedResponse stream(ChatRequest request, CallContext context, Consumer<String> onText) {
        ChatModel model = offline() ? offline : models.get(0);
        String reason = mode == RoutingMode.OFFLINE ? "routing.mode is offline"
                : models.isEmpty() ? "no model provider configured" : "first configured model";
        long started = System.nanoTime();
        try {
            ChatResponse response = model.stream(request, onText);
            long latency = elapsedMillis(started);
            log.record(new ModelCall(Ids.next(), context.taskId(), context.userId(), model.provider(), model.name(),
                    reason, null, response.usage().inputTokens(), response.usage().outputTokens(), 0, latency, null,
                    false, "ok", null, System.currentTimeMillis()));
            return new RoutedResponse(response, model.provider(), model.name(), reason, 0, latency);
        } catch (RuntimeException e) {
            // A bug in a provider is still a failed call: recorded, and handed on as the one failure callers expect.
            ModelException failure = e instanceof ModelException m ? m
                    : new ModelException(model.name() + " failed: " + e, false, e);
            // An interrupted call was cancelled by the caller; it says nothing about the provider's health.
            String outcome = Thread.currentThread().isInterrupted() ? "cancelled" : "error";
            log.record(new ModelCall(Ids.next(), context.taskId(), context.userId(), model.provider(), model.name(),
                    reason, null, 0, 0, 0, elapsedMillis(started), null, false, outcome, failure.getMessage(),
                    System.currentTimeMillis()));
            throw failure;
        }
    }

    private static long elapsedMillis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
