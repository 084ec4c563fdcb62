package dev.steward.router.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake Anthropic Messages API: {@code POST /v1/messages} (whole or streamed as named events: message_start,
 * content_block_start/delta/stop, ping, message_delta, message_stop) and {@code GET /v1/models} (paged with
 * {@code limit}, {@code after_id}). It checks what the real API checks up front — {@code anthropic-version} and
 * {@code max_tokens} present — and answers errors with {"type":"error","error":{"type","message"}}.
 *
 * <p>It keeps a prompt cache as Anthropic does: the request (tools, then system blocks, then message content blocks)
 * up to a block marked {@code cache_control} is a prefix; the longest marked prefix it has seen before is reported as
 * {@code cache_read_input_tokens}, the rest up to the last mark as {@code cache_creation_input_tokens} (four characters
 * a token), with {@code input_tokens} the reply's own count. More than four marks is a 400, as there. (Anthropic also
 * caches only prefixes of 1,024 tokens or more; the fake caches any, so tests stay small.)
 */
public final class FakeAnthropicServer extends FakeHttpServer<FakeAnthropicServer> {
    private static final int MAX_CACHE_BREAKPOINTS = 4;
    private int sequence;
    private final java.util.Set<String> cachedPrefixes = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile int pageSize = 1000;

    private FakeAnthropicServer() {}

    public static FakeAnthropicServer start() {
        return new FakeAnthropicServer().listen();
    }

    /** {@code http://127.0.0.1:PORT}, as the Anthropic base URL is configured (paths start with /v1). */
    @Override
    public String baseUrl() {
        return rootUrl();
    }


    /** The most models one page of {@code GET /v1/models} lists, whatever limit the client asks. */
    public FakeAnthropicServer pageSize(int size) {
        this.pageSize = size;
        return this;
    }

    /** An error reply with Anthropic's error body. */
    public static FakeReply error(int status, String type, String message) {
        return FakeReply.status(status, errorBody(type, message));
    }

    /** 429 with Anthropic's rate-limit body and the given retry-after header (null for none). */
    public static FakeReply rateLimited(String retryAfter) {
        FakeReply reply = error(429, "rate_limit_error",
                "This request would exceed the rate limit for your organization of 50 requests per minute.");
        return retryAfter == null ? reply : reply.header("retry-after", retryAfter);
    }

    /** 529, Anthropic's "overloaded". */
    public static FakeReply overloaded() {
        return error(529, "overloaded_error", "Overloaded");
    }

    private static String errorBody(String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        body.put("request_id", "req_fake");
        return body.toString();
    }

    @Override
    protected void route(HttpExchange exchange, RecordedRequest request) throws IOException {
        String path = request.pathOnly();
        String key = requiredApiKey();
        boolean authorised = key == null || key.equals(request.header("x-api-key"));
        if (request.method().equals("GET") && path.equals("/v1/models")) {
            if (!authorised) {
                sendJson(exchange, 401, errorBody("authentication_error", "invalid x-api-key"), Map.of(), "application/json");
                return;
            }
            sendJson(exchange, 200, modelPage(request.path()), Map.of(), "application/json");
            return;
        }
        if (!request.method().equals("POST") || !path.equals("/v1/messages")) {
            sendJson(exchange, 404, errorBody("not_found_error", "Not Found"), Map.of(), "application/json");
            return;
        }
        FakeReply reply = nextReply();
        if (!pause(reply.delayBeforeHeaders)) {
            return;
        }
        if (!authorised) {
            sendJson(exchange, 401, errorBody("authentication_error", "invalid x-api-key"), Map.of(), "application/json");
            return;
        }
        JsonNode body = request.body();
        if (request.header("anthropic-version") == null) {
            sendJson(exchange, 400, errorBody("invalid_request_error", "anthropic-version: header is required"),
                    Map.of(), "application/json");
            return;
        }
        if (body == null || !body.path("max_tokens").canConvertToInt()) {
            sendJson(exchange, 400, errorBody("invalid_request_error", "max_tokens: Field required"), Map.of(),
                    "application/json");
            return;
        }
        if (reply.isError()) {
            sendJson(exchange, reply.status, reply.rawBody, reply.headers, reply.contentType);
            return;
        }
        List<String> breakpoints = breakpoints(body);
        if (breakpoints.size() > MAX_CACHE_BREAKPOINTS) {
            sendJson(exchange, 400, errorBody("invalid_request_error", "A maximum of " + MAX_CACHE_BREAKPOINTS
                    + " blocks with cache_control may be provided. Found " + breakpoints.size() + "."), Map.of(),
                    "application/json");
            return;
        }
        long[] cache = cache(breakpoints);
        String model = reply.model != null ? reply.model : body.path("model").asText("fake");
        if (!body.path("stream").asBoolean(false) || reply.ignoreStream) {
            String answer = reply.malformedEvent != null ? reply.rawBody : message(reply, model, cache).toString();
            sendJson(exchange, 200, answer, reply.headers, reply.contentType);
            return;
        }
        stream(openSse(exchange, reply), reply, model, cache);
    }

    /** The request's prefixes that end at a {@code cache_control} mark, shortest first. */
    private static List<String> breakpoints(JsonNode body) {
        List<JsonNode> blocks = new java.util.ArrayList<>();
        body.path("tools").forEach(blocks::add);
        if (body.path("system").isArray()) {
            body.path("system").forEach(blocks::add);
        } else if (body.path("system").isTextual()) {
            blocks.add(body.path("system"));
        }
        for (JsonNode message : body.path("messages")) {
            if (message.path("content").isArray()) {
                message.path("content").forEach(blocks::add);
            } else {
                blocks.add(message.path("content"));
            }
        }
        List<String> prefixes = new java.util.ArrayList<>();
        StringBuilder prefix = new StringBuilder();
        for (JsonNode block : blocks) {
            prefix.append(block.isObject() ? ((ObjectNode) block.deepCopy()).without("cache_control") : block);
            if (block.has("cache_control")) {
                prefixes.add(prefix.toString());
            }
        }
        return prefixes;
    }

    /** Tokens {read, written}: the longest prefix cached before is read, the rest up to the last mark written. */
    private long[] cache(List<String> breakpoints) {
        long read = 0;
        for (String prefix : breakpoints) {
            if (cachedPrefixes.contains(prefix)) {
                read = prefix.length() / 4;
            }
        }
        long written = breakpoints.isEmpty() ? 0 : Math.max(0, breakpoints.get(breakpoints.size() - 1).length() / 4 - read);
        cachedPrefixes.addAll(breakpoints);
        return new long[] {read, written};
    }

    private static void putUsage(ObjectNode usage, long inputTokens, long[] cache) {
        usage.put("input_tokens", inputTokens).put("cache_creation_input_tokens", cache[1])
                .put("cache_read_input_tokens", cache[0]);
    }

    private synchronized String nextId(String prefix) {
        return prefix + "_fake" + (++sequence);
    }

    private static String stopReason(FakeReply reply) {
        return reply.finishReason != null ? reply.finishReason : reply.toolCalls.isEmpty() ? "end_turn" : "tool_use";
    }

    private ObjectNode message(FakeReply reply, String model, long[] cache) {
        ObjectNode body = JSON.createObjectNode().put("id", nextId("msg")).put("type", "message")
                .put("role", "assistant").put("model", model);
        ArrayNode content = body.putArray("content");
        if (!reply.text.isEmpty()) {
            content.addObject().put("type", "text").put("text", reply.text);
        }
        for (FakeReply.Call call : reply.toolCalls) {
            ObjectNode use = content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name());
            try {
                use.set("input", JSON.readTree(call.argumentsJson()));
            } catch (IOException e) {
                throw new IllegalArgumentException("a whole Anthropic answer needs JSON tool input", e);
            }
        }
        body.put("stop_reason", stopReason(reply)).putNull("stop_sequence");
        ObjectNode usage = body.putObject("usage");
        putUsage(usage, reply.inputTokens, cache);
        usage.put("output_tokens", reply.outputTokens);
        return body;
    }

    /** Streams as Anthropic does, event names and all. */
    private void stream(Sse sse, FakeReply reply, String model, long[] cache) throws IOException {
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message").put("id", nextId("msg")).put("type", "message")
                .put("role", "assistant").put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        ObjectNode usage = message.putObject("usage");
        putUsage(usage, reply.inputTokens, cache);
        usage.put("output_tokens", 1);
        sse.event("message_start", start.toString());
        int index = 0;
        if (!reply.text.isEmpty()) {
            ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            sse.event("content_block_start", blockStart.toString());
            sse.event("ping", "{\"type\": \"ping\"}");
            for (String piece : FakeReply.pieces(reply.text, reply.chunkSize)) {
                ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                delta.putObject("delta").put("type", "text_delta").put("text", piece);
                sse.event("content_block_delta", delta.toString());
            }
            sse.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
            index++;
        }
        for (FakeReply.Call call : reply.toolCalls) {
            ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", index);
            ObjectNode block = blockStart.putObject("content_block").put("type", "tool_use").put("id", call.id())
                    .put("name", call.name());
            block.putObject("input");
            sse.event("content_block_start", blockStart.toString());
            for (String fragment : fragments(call.argumentsJson(), reply.chunkSize)) {
                ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
                delta.putObject("delta").put("type", "input_json_delta").put("partial_json", fragment);
                sse.event("content_block_delta", delta.toString());
            }
            sse.event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
            index++;
        }
        ObjectNode delta = JSON.createObjectNode().put("type", "message_delta");
        delta.putObject("delta").put("stop_reason", stopReason(reply)).putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", reply.outputTokens);
        sse.event("message_delta", delta.toString());
        sse.event("message_stop", "{\"type\":\"message_stop\"}");
    }

    @Override
    protected String[] streamError(String type, String message) {
        return new String[] {"error", errorBody(type, message)};
    }

    private String modelPage(String pathWithQuery) {
        Map<String, String> query = query(pathWithQuery);
        int limit = Math.min(pageSize, query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : 20);
        List<String> ids = modelIds();
        int from = 0;
        if (query.containsKey("after_id")) {
            from = ids.indexOf(query.get("after_id")) + 1;
        }
        List<String> page = ids.subList(Math.min(from, ids.size()), Math.min(ids.size(), from + limit));
        ObjectNode body = JSON.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (String id : page) {
            data.addObject().put("type", "model").put("id", id).put("display_name", id)
                    .put("created_at", "2025-02-19T00:00:00Z");
        }
        body.put("has_more", from + page.size() < ids.size());
        if (page.isEmpty()) {
            body.putNull("first_id").putNull("last_id");
        } else {
            body.put("first_id", page.get(0)).put("last_id", page.get(page.size() - 1));
        }
        return body.toString();
    }

    private static Map<String, String> query(String pathWithQuery) {
        Map<String, String> out = new HashMap<>();
        int q = pathWithQuery.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : pathWithQuery.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
