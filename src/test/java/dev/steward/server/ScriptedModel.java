package dev.steward.server;

import dev.steward.router.ChatChunk;
import dev.steward.router.ChatModel;
import dev.steward.router.ChatRequest;
import dev.steward.router.ChatResponse;
import dev.steward.router.ModelException;
import dev.steward.router.ToolCall;
import dev.steward.router.Usage;
import dev.steward.support.Json;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A model that plays back scripted answers, streaming them piece by piece, and remembers every request it got.
 * With nothing scripted it echoes the last user message.
 */
final class ScriptedModel implements ChatModel {

    /** One answer: what to stream and what to return. */
    @FunctionalInterface
    interface Script {
        ChatResponse play(ChatRequest request, Consumer<ChatChunk> out);
    }

    private final String provider;
    private final String name;
    private final ConcurrentLinkedDeque<Script> scripts = new ConcurrentLinkedDeque<>();
    final List<ChatRequest> requests = new CopyOnWriteArrayList<>();

    ScriptedModel(String provider, String name) {
        this.provider = provider;
        this.name = name;
    }

    ScriptedModel then(Script script) {
        scripts.add(script);
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String provider() {
        return provider;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return stream(request, chunk -> {});
    }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<ChatChunk> onChunk) {
        requests.add(request);
        Script script = scripts.poll();
        return (script == null ? text("echo: " + request.lastUserText()) : script).play(request, onChunk);
    }

    /** Streams the pieces one by one and answers their concatenation; 12 tokens in, one per piece out. */
    static Script text(String... pieces) {
        return (request, out) -> {
            for (String piece : pieces) {
                out.accept(ChatChunk.text(piece));
            }
            return new ChatResponse(String.join("", pieces), null, new Usage(12, pieces.length), null,
                    ChatResponse.FinishReason.STOP);
        };
    }

    /** Streams a tool call: id and name first, then its arguments in two fragments. */
    static Script toolCall(String id, String tool, String argumentsJson) {
        return (request, out) -> {
            int half = argumentsJson.length() / 2;
            out.accept(new ChatChunk("", List.of(new ChatChunk.ToolCallDelta(0, id, tool, ""))));
            out.accept(new ChatChunk("", List.of(new ChatChunk.ToolCallDelta(0, null, null, argumentsJson.substring(0, half)))));
            out.accept(new ChatChunk("", List.of(new ChatChunk.ToolCallDelta(0, null, null, argumentsJson.substring(half)))));
            return new ChatResponse("", List.of(new ToolCall(id, tool, Json.parse(argumentsJson))), new Usage(30, 9), null,
                    ChatResponse.FinishReason.TOOL_CALLS);
        };
    }

    /** Answers a tool call whole, streaming nothing: as a model without streaming support does. */
    static Script toolCallWhole(String id, String tool, String argumentsJson) {
        return (request, out) -> new ChatResponse("", List.of(new ToolCall(id, tool, Json.parse(argumentsJson))),
                new Usage(30, 9), null, ChatResponse.FinishReason.TOOL_CALLS);
    }

    static Script fail(String message) {
        return (request, out) -> {
            throw new ModelException(message, false);
        };
    }

    /** Streams one piece, then fails. */
    static Script breakOff(String piece, String message) {
        return (request, out) -> {
            out.accept(ChatChunk.text(piece));
            throw new ModelException(message, false);
        };
    }
}
