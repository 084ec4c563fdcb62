package dev.steward.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.router.ModelException.Kind;
import dev.steward.support.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;

/**
 * Anthropic's Messages API: {@code POST {base}/v1/messages} with {@code x-api-key} and
 * {@code anthropic-version: 2023-06-01}, streamed as named server-sent events.
 *
 * <p>Translation from the shared message shape: system messages are joined into the top-level {@code system};
 * assistant tool calls become {@code tool_use} blocks; tool results become {@code tool_result} blocks in a user
 * message; consecutive messages of one role are merged into one (with tool results first, as the API requires).
 * {@code max_tokens} defaults to {@value #DEFAULT_MAX_TOKENS}; temperature is clamped to Anthropic's 0..1.
 * Anthropic has no JSON mode: in JSON mode the system prompt asks for a bare JSON object and a Markdown code
 * fence around the final text is removed (streamed chunks pass through as they came). Input tokens include cache
 * reads and writes, as they are all input the provider charges for; the two are also counted apart, for their own
 * prices. A message marked {@link ChatMessage#cacheable()} ends a prefix Anthropic caches: its last content block (or
 * system block) carries {@code cache_control}, at most {@value #MAX_CACHE_BREAKPOINTS} of them, the last ones.
 */
final class AnthropicModel extends HttpChatModel {
    static final String VERSION = "2023-06-01";
    static final int DEFAULT_MAX_TOKENS = 4096;
    /** Anthropic refuses a request with more cache breakpoints than this. */
    static final int MAX_CACHE_BREAKPOINTS = 4;
    static final String JSON_INSTRUCTION =
            "Respond with a single JSON object only: no prose, no Markdown code fence.";
    private static final Pattern FENCED = Pattern.compile("^```[a-zA-Z]*\\s*\\n(.*?)\\n?```$", Pattern.DOTALL);

    AnthropicModel(String providerName, String baseUrl, String apiKey, String model, OkHttpClient http,
                   Duration requestTimeout) {
        this(providerName, baseUrl, apiKey, model, http, requestTimeout, null);
    }

    /** @param idleTimeout longest silence between stream events; null for the default (request timeout, at most 30 s) */
    AnthropicModel(String providerName, String baseUrl, String apiKey, String model, OkHttpClient http,
                   Duration requestTimeout, Duration idleTimeout) {
        super(providerName, baseUrl, apiKey, model, http, requestTimeout, idleTimeout, "/v1/messages");
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        ProviderHttp.Reply reply = http.send(post(requestBody(request, false), "application/json"));
        JsonNode body = http.readJson(reply, "the response body");
        if ("error".equals(body.path("type").asText())) {
            throw errorEvent(body);
        }
        return parseResponse(body, request.jsonMode());
    }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<ChatChunk> onChunk) {
        ProviderHttp.Reply reply = http.send(post(requestBody(request, true), "text/event-stream"));
        StreamState state = new StreamState();
        try (SseStream events = new SseStream(http, reply)) {
            SseEvent event;
            while ((event = events.next()) != null) {
                if (event.data().isBlank()) {
                    continue;
                }
                JsonNode node = http.parseJson(event.data(), "a stream event");
                String type = node.path("type").asText(event.event() == null ? "" : event.event());
                if (type.equals("message_stop")) {
                    return state.finish(request.jsonMode());
                }
                if (type.equals("error")) {
                    throw errorEvent(node);
                }
                ChatChunk chunk = state.add(type, node);
                if (chunk != null) {
                    onChunk.accept(chunk);
                }
            }
            if (state.stopReason != null) {
                return state.finish(request.jsonMode()); // ended without message_stop, but the answer was complete
            }
            throw events.ended();
        }
    }

    @Override
    void authHeaders(Map<String, String> headers) {
        headers.put("anthropic-version", VERSION);
        if (apiKey != null) {
            headers.put("x-api-key", apiKey);
        }
    }

    /** The exact request body: package-private so tests can read it without a server. */
    ObjectNode requestBody(ChatRequest request, boolean stream) {
        ObjectNode body = Json.object();
        body.put("model", http.model);
        body.put("max_tokens", request.maxTokens() == null ? DEFAULT_MAX_TOKENS : request.maxTokens());
        List<ChatMessage> conversation = CacheBreakpoints.lastAllowed(request.messages(), MAX_CACHE_BREAKPOINTS);
        List<ChatMessage> system = new ArrayList<>();
        for (ChatMessage message : conversation) {
            if (message.role() == ChatMessage.Role.SYSTEM && !message.content().isBlank()) {
                system.add(message);
            }
        }
        if (request.jsonMode()) {
            system.add(ChatMessage.system(JSON_INSTRUCTION));
        }
        if (system.stream().anyMatch(ChatMessage::cacheable)) {
            // Blocks, so that a breakpoint can end the cached part of the system prompt.
            ArrayNode blocks = body.putArray("system");
            for (ChatMessage message : system) {
                ObjectNode block = blocks.addObject().put("type", "text").put("text", message.content());
                if (message.cacheable()) {
                    CacheBreakpoints.mark(block);
                }
            }
        } else if (!system.isEmpty()) {
            body.put("system", String.join("\n\n", system.stream().map(ChatMessage::content).toList()));
        }
        body.set("messages", messages(conversation));
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode t = tools.addObject().put("name", tool.name());
                if (tool.description() != null && !tool.description().isEmpty()) {
                    t.put("description", tool.description());
                }
                t.set("input_schema", OpenAiModel.schema(tool.inputSchema()));
            }
        }
        if (request.temperature() != null) {
            body.put("temperature", Math.max(0.0, Math.min(1.0, request.temperature())));
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    /** The conversation as Anthropic wants it: user/assistant turns of content blocks, same roles merged. */
    static ArrayNode messages(List<ChatMessage> conversation) {
        ArrayNode out = Json.mapper().createArrayNode();
        String lastRole = null;
        ArrayNode lastContent = null;
        for (ChatMessage message : conversation) {
            String role;
            List<ObjectNode> blocks = new ArrayList<>();
            switch (message.role()) {
                case SYSTEM -> {
                    continue;
                }
                case USER -> {
                    role = "user";
                    addText(blocks, message.content());
                }
                case TOOL -> {
                    role = "user";
                    ObjectNode result = Json.object().put("type", "tool_result").put("tool_use_id", message.toolCallId());
                    if (!message.content().isEmpty()) {
                        result.put("content", message.content());
                    }
                    blocks.add(result);
                }
                case ASSISTANT -> {
                    role = "assistant";
                    addText(blocks, message.content());
                    for (ToolCall call : message.toolCalls()) {
                        ObjectNode use = Json.object().put("type", "tool_use").put("id", call.id()).put("name", call.name());
                        use.set("input", call.arguments() != null && call.arguments().isObject()
                                ? call.arguments() : Json.object());
                        blocks.add(use);
                    }
                }
                default -> throw new IllegalStateException("unknown role " + message.role());
            }
            if (blocks.isEmpty()) {
                continue;
            }
            if (message.cacheable()) {
                CacheBreakpoints.mark(blocks.get(blocks.size() - 1));
            }
            if (role.equals(lastRole)) {
                blocks.forEach(lastContent::add);
            } else {
                ObjectNode node = out.addObject().put("role", role);
                lastContent = node.putArray("content");
                blocks.forEach(lastContent::add);
                lastRole = role;
            }
        }
        for (JsonNode message : out) {
            toolResultsFirst((ArrayNode) message.get("content"));
        }
        return out;
    }

    private static void addText(List<ObjectNode> blocks, String text) {
        if (!text.isEmpty()) { // the API refuses empty text blocks
            blocks.add(Json.object().put("type", "text").put("text", text));
        }
    }

    /** In a user message, tool_result blocks must come before any text. */
    private static void toolResultsFirst(ArrayNode content) {
        List<JsonNode> results = new ArrayList<>();
        List<JsonNode> others = new ArrayList<>();
        content.forEach(b -> ("tool_result".equals(b.path("type").asText()) ? results : others).add(b));
        content.removeAll();
        results.forEach(content::add);
        others.forEach(content::add);
    }

    ChatResponse parseResponse(JsonNode body, boolean jsonMode) {
        if (!body.path("content").isArray()) {
            throw http.malformed("no content array in the response", body.toString(), null);
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : body.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" -> calls.add(new ToolCall(block.path("id").asText(null), block.path("name").asText(null),
                        block.path("input").isObject() ? block.path("input") : Json.object()));
                default -> { } // thinking and other blocks are not part of the answer
            }
        }
        String model = body.path("model").asText("");
        return new ChatResponse(jsonMode ? unfence(text.toString()) : text.toString(), calls,
                usage(body.path("usage"), 0), model.isEmpty() ? http.model : model,
                stopReason(body.path("stop_reason").asText(null), !calls.isEmpty()));
    }

    /** Input tokens, counting cache reads and writes; {@code minInput} keeps a figure seen earlier in a stream. */
    private static Usage usage(JsonNode usage, long minInput) {
        if (!usage.isObject()) {
            return new Usage(minInput, 0);
        }
        long written = usage.path("cache_creation_input_tokens").asLong(0);
        long read = usage.path("cache_read_input_tokens").asLong(0);
        long input = usage.path("input_tokens").asLong(0) + written + read;
        return new Usage(Math.max(input, minInput), usage.path("output_tokens").asLong(0), read, written);
    }

    static ChatResponse.FinishReason stopReason(String reason, boolean hasToolCalls) {
        if (reason == null) {
            return hasToolCalls ? ChatResponse.FinishReason.TOOL_CALLS : ChatResponse.FinishReason.STOP;
        }
        return switch (reason) {
            case "tool_use" -> ChatResponse.FinishReason.TOOL_CALLS;
            case "max_tokens", "model_context_window_exceeded" -> ChatResponse.FinishReason.LENGTH;
            default -> hasToolCalls ? ChatResponse.FinishReason.TOOL_CALLS : ChatResponse.FinishReason.STOP;
        };
    }

    static String unfence(String text) {
        Matcher m = FENCED.matcher(text.strip());
        return m.matches() ? m.group(1).strip() : text;
    }

    /** {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}, as a body or a stream event. */
    private ModelException errorEvent(JsonNode node) {
        ErrorDetail detail = ErrorDetail.fromNode(node);
        String type = detail.type() == null ? "" : detail.type();
        Kind kind = switch (type) {
            case "rate_limit_error" -> Kind.RATE_LIMITED;
            case "authentication_error", "permission_error" -> Kind.AUTH;
            case "not_found_error" -> Kind.NOT_FOUND;
            case "invalid_request_error", "request_too_large" -> Kind.BAD_REQUEST;
            default -> Kind.UNAVAILABLE; // overloaded_error, api_error, and whatever comes next
        };
        return new ModelException(kind, http.who() + ": the provider reported an error instead of an answer ("
                + detail + ")", 0, null, null);
    }

    /** What a stream has said so far; content blocks by Anthropic's index, tool calls numbered from 0. */
    private final class StreamState {
        final StringBuilder text = new StringBuilder();
        final Map<Integer, PendingCall> toolBlocks = new TreeMap<>();
        long inputTokens;
        long outputTokens;
        long cacheRead;
        long cacheWritten;
        String stopReason;
        String model;

        ChatChunk add(String type, JsonNode node) {
            switch (type) {
                case "message_start" -> {
                    JsonNode message = node.path("message");
                    Usage u = usage(message.path("usage"), 0);
                    inputTokens = u.inputTokens();
                    cacheRead = u.cacheReadTokens();
                    cacheWritten = u.cacheWriteTokens();
                    outputTokens = Math.max(outputTokens, u.outputTokens());
                    if (message.path("model").isTextual()) {
                        model = message.path("model").asText();
                    }
                    return null;
                }
                case "content_block_start" -> {
                    JsonNode block = node.path("content_block");
                    int index = node.path("index").asInt();
                    if ("tool_use".equals(block.path("type").asText())) {
                        PendingCall call = new PendingCall(toolBlocks.size(), block.path("id").asText(null),
                                block.path("name").asText(null));
                        toolBlocks.put(index, call);
                        return new ChatChunk("", List.of(new ChatChunk.ToolCallDelta(call.callIndex, call.id,
                                call.name, "")));
                    }
                    if ("text".equals(block.path("type").asText()) && !block.path("text").asText("").isEmpty()) {
                        String start = block.path("text").asText();
                        text.append(start);
                        return ChatChunk.text(start);
                    }
                    return null;
                }
                case "content_block_delta" -> {
                    JsonNode delta = node.path("delta");
                    switch (delta.path("type").asText()) {
                        case "text_delta" -> {
                            String piece = delta.path("text").asText("");
                            text.append(piece);
                            return piece.isEmpty() ? null : ChatChunk.text(piece);
                        }
                        case "input_json_delta" -> {
                            PendingCall call = toolBlocks.get(node.path("index").asInt());
                            if (call == null) {
                                throw http.malformed("input_json_delta for a block that is not a tool_use",
                                        node.toString(), null);
                            }
                            String piece = delta.path("partial_json").asText("");
                            call.arguments.append(piece);
                            return piece.isEmpty() ? null
                                    : new ChatChunk("", List.of(new ChatChunk.ToolCallDelta(call.callIndex, null, null, piece)));
                        }
                        default -> {
                            return null; // thinking_delta, signature_delta, citations_delta: not part of the answer
                        }
                    }
                }
                case "message_delta" -> {
                    if (node.path("delta").path("stop_reason").isTextual()) {
                        stopReason = node.path("delta").path("stop_reason").asText();
                    }
                    JsonNode u = node.path("usage");
                    if (u.isObject()) {
                        outputTokens = Math.max(outputTokens, u.path("output_tokens").asLong(0));
                        if (u.has("input_tokens")) {
                            Usage counted = usage(u, 0);
                            inputTokens = Math.max(inputTokens, counted.inputTokens());
                            cacheRead = Math.max(cacheRead, counted.cacheReadTokens());
                            cacheWritten = Math.max(cacheWritten, counted.cacheWriteTokens());
                        }
                    }
                    return null;
                }
                default -> {
                    return null; // ping, content_block_stop, and events added later
                }
            }
        }

        ChatResponse finish(boolean jsonMode) {
            List<ToolCall> calls = new ArrayList<>();
            for (PendingCall call : toolBlocks.values()) {
                calls.add(new ToolCall(call.id, call.name, OpenAiModel.parseArguments(call.arguments.toString())));
            }
            String answer = text.toString();
            return new ChatResponse(jsonMode ? unfence(answer) : answer, calls, new Usage(inputTokens, outputTokens, cacheRead, cacheWritten),
                    model == null ? http.model : model, stopReason(stopReason, !calls.isEmpty()));
        }
    }

    private static final class PendingCall {
        final int callIndex;
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();

        PendingCall(int callIndex, String id, String name) {
            this.callIndex = callIndex;
            this.id = id;
            this.name = name;
        }
    }
}
