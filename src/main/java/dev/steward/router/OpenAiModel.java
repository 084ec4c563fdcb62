package dev.steward.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.steward.router.ModelException.Kind;
import dev.steward.support.Json;
import java.io.IOException;
import okhttp3.OkHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * OpenAI's chat completions API, spoken by OpenAI itself and by Ollama ({@code /v1}), vLLM, LM Studio, LiteLLM
 * and most other servers: {@code POST {base}/chat/completions}, streamed as server-sent events.
 *
 * <p>Wire choices worth knowing: an assistant message that only calls tools is sent with {@code content: null};
 * {@link ChatMessage#name()} is not sent (OpenAI restricts its characters and tool messages don't take it);
 * tool-call arguments that are not valid JSON are kept as a JSON string rather than failing the call, so the
 * agent can tell the model; in JSON mode a short system line asking for JSON is added when no message mentions
 * JSON, because OpenAI refuses {@code json_object} otherwise.
 */
final class OpenAiModel extends HttpChatModel {
    OpenAiModel(String providerName, String baseUrl, String apiKey, String model, OkHttpClient http,
                Duration requestTimeout) {
        this(providerName, baseUrl, apiKey, model, http, requestTimeout, null);
    }

    /** @param idleTimeout longest silence between stream chunks; null for the default (request timeout, at most 30 s) */
    OpenAiModel(String providerName, String baseUrl, String apiKey, String model, OkHttpClient http,
                Duration requestTimeout, Duration idleTimeout) {
        super(providerName, baseUrl, apiKey, model, http, requestTimeout, idleTimeout, "/chat/completions");
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        ProviderHttp.Reply reply = http.send(post(requestBody(request, false), "application/json"));
        return parseResponse(http.readJson(reply, "the response body"));
    }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<ChatChunk> onChunk) {
        ProviderHttp.Reply reply = http.send(post(requestBody(request, true), "text/event-stream"));
        String type = Objects.requireNonNullElse(reply.header("content-type"), "").toLowerCase(Locale.ROOT);
        if (type.startsWith("application/json")) {
            // A server that ignores "stream": answer as a whole, handed on as one chunk.
            ChatResponse whole = parseResponse(http.readJson(reply, "the response body"));
            ChatChunk chunk = wholeAsChunk(whole);
            if (chunk != null) {
                onChunk.accept(chunk);
            }
            return whole;
        }
        StreamState state = new StreamState();
        try (SseStream events = new SseStream(http, reply)) {
            SseEvent event;
            while ((event = events.next()) != null) {
                String data = event.data().strip();
                if (data.equals("[DONE]")) {
                    return state.finish();
                }
                if (data.isEmpty()) {
                    continue;
                }
                JsonNode node = http.parseJson(data, "a stream event");
                if (node.has("error") && !node.has("choices")) {
                    throw streamError(node);
                }
                ChatChunk chunk = state.add(node);
                if (chunk != null) {
                    onChunk.accept(chunk);
                }
            }
            if (state.finishReason != null) {
                return state.finish(); // ended without [DONE], but the answer was complete
            }
            throw events.ended();
        }
    }

    @Override
    void authHeaders(Map<String, String> headers) {
        if (apiKey != null) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
    }

    /** The exact request body: package-private so tests can read it without a server. */
    ObjectNode requestBody(ChatRequest request, boolean stream) {
        ObjectNode body = Json.object();
        body.put("model", http.model);
        ArrayNode messages = body.putArray("messages");
        if (request.jsonMode() && request.messages().stream()
                .noneMatch(m -> m.content().toLowerCase(Locale.ROOT).contains("json"))) {
            messages.addObject().put("role", "system").put("content", "Respond with a single JSON object.");
        }
        for (ChatMessage message : request.messages()) {
            messages.add(message(message));
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                if (tool.description() != null && !tool.description().isEmpty()) {
                    function.put("description", tool.description());
                }
                function.set("parameters", schema(tool.inputSchema()));
            }
        }
        if (request.temperature() != null) {
            body.put("temperature", request.temperature());
        }
        if (request.maxTokens() != null) {
            body.put("max_tokens", request.maxTokens());
        }
        if (request.jsonMode()) {
            body.putObject("response_format").put("type", "json_object");
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    static JsonNode schema(JsonNode inputSchema) {
        if (inputSchema == null || !inputSchema.isObject()) {
            ObjectNode empty = Json.object().put("type", "object");
            empty.putObject("properties");
            return empty;
        }
        return inputSchema;
    }

    private static ObjectNode message(ChatMessage message) {
        ObjectNode node = Json.object();
        switch (message.role()) {
            case SYSTEM -> node.put("role", "system").put("content", message.content());
            case USER -> node.put("role", "user").put("content", message.content());
            case TOOL -> node.put("role", "tool").put("tool_call_id", message.toolCallId())
                    .put("content", message.content());
            case ASSISTANT -> {
                node.put("role", "assistant");
                if (message.toolCalls().isEmpty() || !message.content().isEmpty()) {
                    node.put("content", message.content());
                } else {
                    node.putNull("content");
                }
                if (!message.toolCalls().isEmpty()) {
                    ArrayNode calls = node.putArray("tool_calls");
                    for (ToolCall call : message.toolCalls()) {
                        ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                        c.putObject("function").put("name", call.name()).put("arguments", argumentsText(call.arguments()));
                    }
                }
            }
        }
        return node;
    }

    /** Arguments travel as a JSON-encoded string; a string we kept because it was not JSON goes back verbatim. */
    private static String argumentsText(JsonNode arguments) {
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            return "{}";
        }
        return arguments.isTextual() ? arguments.asText() : Json.write(arguments);
    }

    /** Parses tool-call arguments: "" means none; text that is not JSON is kept as a JSON string. */
    static JsonNode parseArguments(String text) {
        if (text == null || text.isBlank()) {
            return Json.object();
        }
        try {
            JsonNode node = Json.mapper().readTree(text);
            return node == null || node.isMissingNode() ? Json.object() : node;
        } catch (IOException e) {
            return TextNode.valueOf(text);
        }
    }

    ChatResponse parseResponse(JsonNode body) {
        if (body.has("error") && !body.has("choices")) {
            throw streamError(body);
        }
        JsonNode choice = body.path("choices").path(0);
        if (!choice.isObject()) {
            throw http.malformed("no choices[0] in the response", body.toString(), null);
        }
        JsonNode message = choice.path("message");
        String text = message.path("content").isTextual() ? message.path("content").asText() : "";
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            JsonNode function = call.path("function");
            JsonNode arguments = function.path("arguments");
            calls.add(new ToolCall(call.path("id").asText(null), function.path("name").asText(null),
                    arguments.isTextual() ? parseArguments(arguments.asText())
                            : arguments.isMissingNode() || arguments.isNull() ? Json.object() : arguments));
        }
        return new ChatResponse(text, calls, usage(body.path("usage")), modelOf(body),
                finishReason(choice.path("finish_reason").asText(null), !calls.isEmpty()));
    }

    private String modelOf(JsonNode body) {
        String reported = body.path("model").asText("");
        return reported.isEmpty() ? http.model : reported;
    }

    static Usage usage(JsonNode usage) {
        if (!usage.isObject()) {
            return Usage.NONE;
        }
        // prompt_tokens counts the cached ones too; OpenAI caches long prompts by itself and bills those cheaper.
        return new Usage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(0), 0);
    }

    static ChatResponse.FinishReason finishReason(String reason, boolean hasToolCalls) {
        if (hasToolCalls) {
            return ChatResponse.FinishReason.TOOL_CALLS; // some servers say "stop" even when they call tools
        }
        if (reason == null) {
            return ChatResponse.FinishReason.STOP;
        }
        return switch (reason) {
            case "length" -> ChatResponse.FinishReason.LENGTH;
            case "tool_calls", "function_call" -> ChatResponse.FinishReason.TOOL_CALLS;
            default -> ChatResponse.FinishReason.STOP;
        };
    }

    /** An error object in place of an answer (vLLM and LiteLLM send these mid-stream, some servers with 200). */
    private ModelException streamError(JsonNode node) {
        ErrorDetail detail = ErrorDetail.fromNode(node);
        String type = (detail.type() == null ? "" : detail.type()) + " " + (detail.code() == null ? "" : detail.code());
        Kind kind = type.contains("invalid_request") ? Kind.BAD_REQUEST
                : type.contains("rate_limit") ? Kind.RATE_LIMITED : Kind.UNAVAILABLE;
        return new ModelException(kind, http.who() + ": the provider reported an error instead of an answer ("
                + detail + ")", 0, null, null);
    }

    private static ChatChunk wholeAsChunk(ChatResponse whole) {
        List<ChatChunk.ToolCallDelta> deltas = new ArrayList<>();
        for (int i = 0; i < whole.toolCalls().size(); i++) {
            ToolCall call = whole.toolCalls().get(i);
            deltas.add(new ChatChunk.ToolCallDelta(i, call.id(), call.name(), argumentsText(call.arguments())));
        }
        return whole.text().isEmpty() && deltas.isEmpty() ? null : new ChatChunk(whole.text(), deltas);
    }

    /** What a stream has said so far. */
    private final class StreamState {
        final StringBuilder text = new StringBuilder();
        final Map<Integer, PendingCall> calls = new TreeMap<>();
        Usage usage = Usage.NONE;
        String finishReason;
        String model;

        ChatChunk add(JsonNode node) {
            if (node.path("usage").isObject()) {
                usage = usage(node.path("usage"));
            }
            if (model == null && node.path("model").isTextual() && !node.path("model").asText().isEmpty()) {
                model = node.path("model").asText();
            }
            JsonNode choice = node.path("choices").path(0);
            if (!choice.isObject()) {
                return null;
            }
            if (choice.path("finish_reason").isTextual()) {
                finishReason = choice.path("finish_reason").asText();
            }
            JsonNode delta = choice.path("delta");
            String content = delta.path("content").isTextual() ? delta.path("content").asText() : "";
            text.append(content);
            List<ChatChunk.ToolCallDelta> deltas = new ArrayList<>();
            for (JsonNode call : delta.path("tool_calls")) {
                deltas.add(addCall(call));
            }
            return content.isEmpty() && deltas.isEmpty() ? null : new ChatChunk(content, deltas);
        }

        private ChatChunk.ToolCallDelta addCall(JsonNode call) {
            String id = call.path("id").isTextual() && !call.path("id").asText().isEmpty() ? call.path("id").asText() : null;
            int index;
            if (call.path("index").canConvertToInt()) {
                index = call.path("index").asInt();
            } else if (id != null && calls.values().stream().noneMatch(p -> id.equals(p.id))) {
                index = calls.size(); // no index, new id: a new call
            } else {
                index = Math.max(0, calls.size() - 1);
            }
            PendingCall pending = calls.computeIfAbsent(index, i -> new PendingCall());
            JsonNode function = call.path("function");
            String name = function.path("name").isTextual() && !function.path("name").asText().isEmpty()
                    ? function.path("name").asText() : null;
            JsonNode args = function.path("arguments");
            String fragment = args.isTextual() ? args.asText() : args.isObject() ? Json.write(args) : "";
            pending.arguments.append(fragment);
            // id and name go out once, with the first fragment, whatever the server repeats.
            String newId = id != null && pending.id == null ? id : null;
            String newName = name != null && pending.name == null ? name : null;
            if (newId != null) {
                pending.id = newId;
            }
            if (newName != null) {
                pending.name = newName;
            }
            return new ChatChunk.ToolCallDelta(index, newId, newName, fragment);
        }

        ChatResponse finish() {
            List<ToolCall> toolCalls = new ArrayList<>();
            for (PendingCall call : calls.values()) {
                toolCalls.add(new ToolCall(call.id, call.name, parseArguments(call.arguments.toString())));
            }
            return new ChatResponse(text.toString(), toolCalls, usage, model == null ? http.model : model,
                    finishReason(finishReason, !toolCalls.isEmpty()));
        }
    }

    private static final class PendingCall {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }
}
