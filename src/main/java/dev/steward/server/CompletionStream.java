package dev.steward.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.router.ChatChunk;
import dev.steward.router.ChatResponse;
import dev.steward.router.ModelException;
import dev.steward.router.RoutedResponse;
import dev.steward.router.ToolCall;
import dev.steward.support.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes one streamed completion as server-sent events, each flushed the moment its piece of the answer arrives.
 *
 * <p>The response is committed (status 200, {@code text/event-stream}) only when the first piece is ready, so a call
 * the router refuses outright (unknown model, over budget, prompt too long) still gets its proper HTTP status.
 * Pieces the model did not stream — tool calls of a model that answers whole, the rest of a cached answer — are
 * sent at the end, so the client always assembles the same answer a non-streamed call would have returned.
 */
final class CompletionStream implements Consumer<ChatChunk> {
    private final Context ctx;
    private final String id;
    private final long created;
    private final String requestedModel;
    private final boolean includeUsage;
    private final StringBuilder text = new StringBuilder();
    private final Set<Integer> toolCallsStarted = new HashSet<>();
    private OutputStream out;
    private boolean clientGone;

    CompletionStream(Context ctx, String id, long created, String requestedModel, boolean includeUsage) {
        this.ctx = ctx;
        this.id = id;
        this.created = created;
        this.requestedModel = requestedModel;
        this.includeUsage = includeUsage;
    }

    /** Whether anything was sent; after that, errors can only travel as an event in the stream. */
    synchronized boolean started() {
        return out != null;
    }

    synchronized boolean clientGone() {
        return clientGone;
    }

    /** Re-emits a piece of the answer as a {@code chat.completion.chunk}; runs on whichever thread the model streams. */
    @Override
    public synchronized void accept(ChatChunk chunk) {
        ObjectNode delta = Json.object();
        if (!chunk.text().isEmpty()) {
            delta.put("content", chunk.text());
            text.append(chunk.text());
        }
        if (!chunk.toolCalls().isEmpty()) {
            ArrayNode calls = delta.putArray("tool_calls");
            for (ChatChunk.ToolCallDelta d : chunk.toolCalls()) {
                ObjectNode call = calls.addObject().put("index", d.index());
                boolean first = toolCallsStarted.add(d.index());
                if (first || d.id() != null) {
                    call.put("id", d.id() == null ? "call_" + id.substring(9) + "_" + d.index() : d.id());
                    call.put("type", "function");
                }
                ObjectNode function = call.putObject("function");
                if (d.name() != null) {
                    function.put("name", d.name());
                }
                function.put("arguments", d.argumentsFragment() == null ? "" : d.argumentsFragment());
            }
        }
        if (delta.isEmpty()) {
            return;
        }
        send(Completions.chunk(id, created, requestedModel, delta, null));
    }

    /** Sends what the model did not stream, the finish reason, usage if asked, and {@code [DONE]}. */
    synchronized void finish(RoutedResponse routed) {
        ChatResponse response = routed.response();
        String answered = routed.provider() + "/" + routed.model();
        ObjectNode rest = Json.object();
        String full = response.text();
        if (full.length() > text.length() && full.startsWith(text.toString())) {
            rest.put("content", full.substring(text.length()));
        }
        List<ToolCall> calls = response.toolCalls();
        for (int i = 0; i < calls.size(); i++) {
            if (!toolCallsStarted.contains(i)) {
                ToolCall call = calls.get(i);
                ObjectNode c = (rest.has("tool_calls") ? (ArrayNode) rest.get("tool_calls") : rest.putArray("tool_calls"))
                        .addObject();
                c.put("index", i).put("id", call.id()).put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", Completions.arguments(call.arguments()));
            }
        }
        if (!rest.isEmpty()) {
            send(Completions.chunk(id, created, requestedModel, rest, null));
        }
        send(Completions.chunk(id, created, answered, Json.object(), Completions.finishReason(response)));
        if (includeUsage) {
            send(Completions.usageChunk(id, created, answered, response.usage()));
        }
        write("data: [DONE]\n\n");
    }

    /** Ends a stream that broke off: one event with the error, then the connection closes. */
    synchronized void fail(ApiError error) {
        if (!clientGone) {
            try {
                write("data: " + Json.write(error.openAiBody()) + "\n\n");
            } catch (ModelException ignored) {
                // The client left as well; nothing more to tell.
            }
        }
    }

    private void send(ObjectNode event) {
        write("data: " + Json.write(event) + "\n\n");
    }

    /** Commits the response; the first event carries the assistant role, as OpenAI's does. */
    private void open() {
        try {
            out = HttpServer.eventStream(ctx);
        } catch (IOException e) {
            throw gone(e);
        }
        ObjectNode role = Json.object().put("role", "assistant").put("content", "");
        write("data: " + Json.write(Completions.chunk(id, created, requestedModel, role, null)) + "\n\n");
    }

    private void write(String event) {
        if (clientGone) {
            throw new ModelException("the client closed the connection", false);
        }
        if (out == null) {
            open();
        }
        try {
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw gone(e);
        }
    }

    /** Stops the model: a client that has gone away should not be paid for. */
    private ModelException gone(IOException e) {
        clientGone = true;
        return new ModelException("the client closed the connection", false, e);
    }
}
