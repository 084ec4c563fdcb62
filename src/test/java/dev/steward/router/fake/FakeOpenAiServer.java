package dev.steward.router.fake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;

/**
 * A fake OpenAI chat-completions server: {@code POST /v1/chat/completions} (whole or streamed, with the usage
 * chunk when {@code stream_options.include_usage} asks for it), {@code GET /v1/models}, and in the Ollama flavour
 * also {@code GET /api/tags}. Errors use OpenAI's body: {"error":{"message","type","param","code"}}.
 */
public final class FakeOpenAiServer extends FakeHttpServer<FakeOpenAiServer> {
    public enum Flavour { OPENAI, OLLAMA }

    private final Flavour flavour;
    private int sequence;

    private FakeOpenAiServer(Flavour flavour) {
        this.flavour = flavour;
    }

    public static FakeOpenAiServer start() {
        return new FakeOpenAiServer(Flavour.OPENAI).listen();
    }

    public static FakeOpenAiServer start(Flavour flavour) {
        return new FakeOpenAiServer(flavour).listen();
    }

    /** OpenAI flavour: {@code http://127.0.0.1:PORT/v1}; Ollama flavour: {@code http://127.0.0.1:PORT}, as Ollama is configured. */
    @Override
    public String baseUrl() {
        return flavour == Flavour.OLLAMA ? rootUrl() : rootUrl() + "/v1";
    }


    /** An error reply with OpenAI's error body. */
    public static FakeReply error(int status, String type, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message).put("type", type).putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return FakeReply.status(status, body.toString());
    }

    /** 429 with OpenAI's rate-limit body and the given Retry-After header (null for none). */
    public static FakeReply rateLimited(String retryAfter) {
        FakeReply reply = error(429, "requests", "rate_limit_exceeded",
                "Rate limit reached for requests. Please try again later.");
        return retryAfter == null ? reply : reply.header("Retry-After", retryAfter);
    }

    @Override
    protected void route(HttpExchange exchange, RecordedRequest request) throws IOException {
        String path = request.pathOnly();
        boolean authorised = requiredApiKey() == null
                || ("Bearer " + requiredApiKey()).equals(request.header("Authorization"));
        if (request.method().equals("GET") && (path.equals("/v1/models")
                || (flavour == Flavour.OLLAMA && path.equals("/api/tags")))) {
            if (!authorised) {
                unauthorised(exchange);
                return;
            }
            sendJson(exchange, 200, path.equals("/api/tags") ? tags() : modelList(), Map.of(), "application/json");
            return;
        }
        if (!request.method().equals("POST") || !path.equals("/v1/chat/completions")) {
            FakeReply notFound = error(404, "invalid_request_error", null, "Unknown request URL: " + request.method()
                    + " " + path);
            sendJson(exchange, 404, notFound.rawBody, Map.of(), "application/json");
            return;
        }
        FakeReply reply = nextReply();
        if (!pause(reply.delayBeforeHeaders)) {
            return;
        }
        if (!authorised) {
            unauthorised(exchange);
            return;
        }
        if (reply.isError()) {
            sendJson(exchange, reply.status, reply.rawBody, reply.headers, reply.contentType);
            return;
        }
        String model = reply.model != null ? reply.model
                : request.body() != null ? request.body().path("model").asText("fake") : "fake";
        boolean stream = request.body() != null && request.body().path("stream").asBoolean(false) && !reply.ignoreStream;
        if (!stream) {
            String body = reply.malformedEvent != null ? reply.rawBody : completion(reply, model).toString();
            sendJson(exchange, 200, body, reply.headers, reply.contentType);
            return;
        }
        boolean includeUsage = request.body().path("stream_options").path("include_usage").asBoolean(false);
        stream(openSse(exchange, reply), reply, model, includeUsage);
    }

    private void unauthorised(HttpExchange exchange) throws IOException {
        FakeReply reply = error(401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.");
        sendJson(exchange, 401, reply.rawBody, Map.of(), "application/json");
    }

    private synchronized String nextId() {
        return "chatcmpl-fake" + (++sequence);
    }

    private ObjectNode completion(FakeReply reply, String model) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", nextId()).put("object", "chat.completion").put("created", 1_700_000_000L).put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (reply.text.isEmpty() && !reply.toolCalls.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", reply.text);
        }
        if (!reply.toolCalls.isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (FakeReply.Call call : reply.toolCalls) {
                ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(reply));
        body.set("usage", usage(reply));
        return body;
    }

    private static String finishReason(FakeReply reply) {
        return reply.finishReason != null ? reply.finishReason : reply.toolCalls.isEmpty() ? "stop" : "tool_calls";
    }

    private static ObjectNode usage(FakeReply reply) {
        return JSON.createObjectNode().put("prompt_tokens", reply.inputTokens)
                .put("completion_tokens", reply.outputTokens)
                .put("total_tokens", reply.inputTokens + reply.outputTokens)
                .set("prompt_tokens_details", JSON.createObjectNode().put("cached_tokens", reply.cachedTokens)
                        .put("audio_tokens", 0));
    }

    /** Streams as OpenAI does: a role chunk, content pieces, tool-call pieces, the finish chunk, usage, [DONE]. */
    private void stream(Sse sse, FakeReply reply, String model, boolean includeUsage) throws IOException {
        String id = nextId();
        ObjectNode first = chunk(id, model, includeUsage);
        first.withArray("choices").addObject().put("index", 0)
                .<ObjectNode>set("delta", JSON.createObjectNode().put("role", "assistant").put("content", ""))
                .putNull("finish_reason");
        sse.event(null, first.toString());
        for (String piece : FakeReply.pieces(reply.text, reply.chunkSize)) {
            ObjectNode chunk = chunk(id, model, includeUsage);
            chunk.withArray("choices").addObject().put("index", 0)
                    .<ObjectNode>set("delta", JSON.createObjectNode().put("content", piece)).putNull("finish_reason");
            sse.event(null, chunk.toString());
        }
        for (int i = 0; i < reply.toolCalls.size(); i++) {
            FakeReply.Call call = reply.toolCalls.get(i);
            ObjectNode head = JSON.createObjectNode().put("index", i).put("id", call.id()).put("type", "function");
            head.putObject("function").put("name", call.name()).put("arguments", "");
            sse.event(null, toolChunk(id, model, includeUsage, head).toString());
            for (String fragment : fragments(call.argumentsJson(), reply.chunkSize)) {
                ObjectNode part = JSON.createObjectNode().put("index", i);
                part.putObject("function").put("arguments", fragment);
                sse.event(null, toolChunk(id, model, includeUsage, part).toString());
            }
        }
        ObjectNode last = chunk(id, model, includeUsage);
        last.withArray("choices").addObject().put("index", 0)
                .<ObjectNode>set("delta", JSON.createObjectNode()).put("finish_reason", finishReason(reply));
        sse.event(null, last.toString());
        if (includeUsage) {
            ObjectNode usage = chunk(id, model, false);
            usage.putArray("choices");
            usage.set("usage", usage(reply));
            sse.event(null, usage.toString());
        }
        sse.event(null, "[DONE]");
    }

    private static ObjectNode chunk(String id, String model, boolean includeUsage) {
        ObjectNode chunk = JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", 1_700_000_000L).put("model", model).put("system_fingerprint", "fp_fake");
        if (includeUsage) {
            chunk.putNull("usage"); // OpenAI sends "usage": null on every chunk but the last when usage is asked for
        }
        return chunk;
    }

    private static ObjectNode toolChunk(String id, String model, boolean includeUsage, ObjectNode call) {
        ObjectNode chunk = chunk(id, model, includeUsage);
        ObjectNode delta = JSON.createObjectNode();
        delta.putArray("tool_calls").add(call);
        chunk.withArray("choices").addObject().put("index", 0).<ObjectNode>set("delta", delta).putNull("finish_reason");
        return chunk;
    }

    @Override
    protected String[] streamError(String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
        return new String[] {null, body.toString()};
    }

    private String modelList() {
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String id : modelIds()) {
            data.addObject().put("id", id).put("object", "model").put("created", 1_700_000_000L)
                    .put("owned_by", flavour == Flavour.OLLAMA ? "library" : "system");
        }
        return body.toString();
    }

    private String tags() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode models = body.putArray("models");
        for (String id : modelIds()) {
            ObjectNode m = models.addObject().put("name", id).put("model", id)
                    .put("modified_at", "2025-01-01T00:00:00Z").put("size", 2_019_393_189L).put("digest", "a80c4f17acd5");
            m.putObject("details").put("format", "gguf").put("family", "llama")
                    .put("parameter_size", "3.2B").put("quantization_level", "Q4_K_M");
        }
        return body.toString();
    }
}
