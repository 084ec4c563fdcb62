package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.router.ChatResponse;
import dev.steward.router.ToolCall;
import dev.steward.router.Usage;
import dev.steward.support.Json;
import java.util.concurrent.ThreadLocalRandom;

/** The OpenAI response shapes: {@code chat.completion}, {@code chat.completion.chunk}, usage. */
final class Completions {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Completions() {}

    /** An id in OpenAI's style: {@code chatcmpl-} and 24 random letters and digits. */
    /** A completion id names an answer and guards nothing: a fast generator will do (SecureRandom locks per call). */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return "chatcmpl-" + new String(id);
    }

    static ObjectNode completion(String id, long created, String model, ChatResponse response) {
        ObjectNode root = head(id, "chat.completion", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (response.text().isEmpty() && response.wantsTools()) {
            message.putNull("content");
        } else {
            message.put("content", response.text());
        }
        message.putNull("refusal");
        if (response.wantsTools()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (ToolCall call : response.toolCalls()) {
                ObjectNode c = calls.addObject();
                c.put("id", call.id());
                c.put("type", "function");
                c.putObject("function").put("name", call.name()).put("arguments", arguments(call.arguments()));
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(response));
        root.set("usage", usage(response.usage()));
        return root;
    }

    static ObjectNode chunk(String id, long created, String model, ObjectNode delta, String finishReason) {
        ObjectNode root = head(id, "chat.completion.chunk", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return root;
    }

    /** The last chunk of a stream that asked for usage: no choices, only the tokens counted. */
    static ObjectNode usageChunk(String id, long created, String model, Usage usage) {
        ObjectNode root = head(id, "chat.completion.chunk", created, model);
        root.putArray("choices");
        root.set("usage", usage(usage));
        return root;
    }

    static ObjectNode usage(Usage usage) {
        ObjectNode node = Json.object();
        node.put("prompt_tokens", usage.inputTokens());
        node.put("completion_tokens", usage.outputTokens());
        node.put("total_tokens", usage.inputTokens() + usage.outputTokens());
        // Prompt caching, when the provider used it: reads as OpenAI reports them, Anthropic's cache writes as
        // LiteLLM and others pass them on.
        if (usage.cacheReadTokens() > 0 || usage.cacheWriteTokens() > 0) {
            node.putObject("prompt_tokens_details").put("cached_tokens", usage.cacheReadTokens());
        }
        if (usage.cacheWriteTokens() > 0) {
            node.put("cache_creation_input_tokens", usage.cacheWriteTokens());
        }
        return node;
    }

    static String finishReason(ChatResponse response) {
        if (response.wantsTools()) {
            return "tool_calls";
        }
        return response.finishReason() == ChatResponse.FinishReason.LENGTH ? "length" : "stop";
    }

    /** Tool arguments as OpenAI sends them: a string of JSON (text that never parsed is passed on as it was). */
    static String arguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull() || arguments.isMissingNode()) {
            return "{}";
        }
        return arguments.isTextual() ? arguments.asText() : Json.write(arguments);
    }

    private static ObjectNode head(String id, String object, long created, String model) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.putNull("system_fingerprint");
        return root;
    }
}
