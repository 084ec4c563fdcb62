package dev.steward.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.ToolCall;
import dev.steward.router.ToolDefinition;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OpenAI {@code POST /v1/chat/completions} body, translated into a {@link ChatRequest}. Every mistake becomes a
 * 400 that names the field ({@code param}) and says what was expected; fields Steward does not use are ignored.
 */
record CompletionRequest(ChatRequest request, String model, boolean stream, boolean includeUsage) {

    static CompletionRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiError.invalid(null, "invalid_json",
                    "the request body is empty; send a JSON object with model and messages");
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid(null, "invalid_json", "the request body is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null || !root.isObject()) {
            throw ApiError.invalid(null, "invalid_json", "the request body must be a JSON object with model and messages");
        }
        String model = requiredString(root, "model",
                "you must name a model (GET /v1/models lists them; steward/auto lets Steward choose)");
        List<ChatMessage> messages = messages(root);
        List<ToolDefinition> tools = tools(root);
        JsonNode choice = root.get("tool_choice");
        if (choice != null && choice.isTextual() && choice.asText().equals("none")) {
            tools = List.of();
        }
        Double temperature = number(root, "temperature", 0, 2);
        Integer maxTokens = maxTokens(root, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = maxTokens(root, "max_tokens");
        }
        JsonNode n = root.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.isIntegralNumber() && n.asInt() == 1)) {
            throw ApiError.invalid("n", "invalid_value", "n must be 1: Steward returns one choice per request");
        }
        boolean stream = bool(root, "stream");
        boolean includeUsage = false;
        JsonNode options = root.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw ApiError.invalid("stream_options", "invalid_type", "stream_options must be an object");
            }
            includeUsage = bool(options, "include_usage", "stream_options.include_usage");
        }
        ChatRequest request = new ChatRequest(messages, tools, model, temperature, maxTokens, jsonMode(root));
        return new CompletionRequest(request, model, stream, includeUsage);
    }

    private static List<ChatMessage> messages(JsonNode root) {
        JsonNode array = root.get("messages");
        if (array == null || array.isNull()) {
            throw ApiError.invalid("messages", "missing_required_parameter",
                    "messages is required: a list of {role, content} objects");
        }
        if (!array.isArray()) {
            throw ApiError.invalid("messages", "invalid_type",
                    "messages must be an array of {role, content} objects, not " + kind(array));
        }
        if (array.isEmpty()) {
            throw ApiError.invalid("messages", "invalid_value", "messages must contain at least one message");
        }
        List<ChatMessage> messages = new ArrayList<>(array.size());
        Map<String, String> toolNames = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            String at = "messages[" + i + "]";
            JsonNode m = array.get(i);
            if (!m.isObject()) {
                throw ApiError.invalid(at, "invalid_type", at + " must be an object with role and content, not " + kind(m));
            }
            JsonNode roleNode = m.get("role");
            if (roleNode == null || roleNode.isNull()) {
                throw ApiError.invalid(at + ".role", "missing_required_parameter",
                        at + ".role is required: system, developer, user, assistant or tool");
            }
            if (!roleNode.isTextual()) {
                throw ApiError.invalid(at + ".role", "invalid_type", at + ".role must be a string, not " + kind(roleNode));
            }
            String role = roleNode.asText();
            String content = content(m.get("content"), at + ".content");
            int before = messages.size();
            switch (role) {
                case "system", "developer" -> messages.add(ChatMessage.system(content));
                case "user" -> messages.add(ChatMessage.user(content));
                case "assistant" -> {
                    List<ToolCall> calls = toolCalls(m.get("tool_calls"), at + ".tool_calls");
                    calls.forEach(c -> toolNames.put(c.id(), c.name()));
                    messages.add(ChatMessage.assistant(content, calls));
                }
                case "tool" -> {
                    String id = requiredString(m, "tool_call_id", at + ".tool_call_id",
                            at + ".tool_call_id is required: the id of the tool call this message answers");
                    String name = m.path("name").isTextual() ? m.get("name").asText() : toolNames.get(id);
                    messages.add(new ChatMessage(ChatMessage.Role.TOOL, content, null, id, name));
                }
                default -> throw ApiError.invalid(at + ".role", "invalid_value", at + ".role '" + role
                        + "' is not one of system, developer, user, assistant, tool");
            }
            if (messages.size() > before && cacheControl(m, at)) {
                messages.set(before, messages.get(before).asCacheable());
            }
        }
        return messages;
    }

    /**
     * Whether the message asks for a prompt-cache breakpoint: Anthropic's {@code cache_control} on the message or on
     * one of its content parts, as Anthropic-aware OpenAI clients send it. Passed on to Anthropic; OpenAI caches by
     * itself.
     */
    private static boolean cacheControl(JsonNode message, String at) {
        boolean marked = cacheControlAt(message.get("cache_control"), at + ".cache_control");
        JsonNode parts = message.get("content");
        if (parts != null && parts.isArray()) {
            for (int j = 0; j < parts.size(); j++) {
                marked |= cacheControlAt(parts.get(j).get("cache_control"), at + ".content[" + j + "].cache_control");
            }
        }
        return marked;
    }

    private static boolean cacheControlAt(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isObject() || !"ephemeral".equals(node.path("type").asText())) {
            throw ApiError.invalid(at, "invalid_value", at + " must be {\"type\": \"ephemeral\"}");
        }
        return true;
    }

    /** Message content: a string, null, or an array of text parts joined together. */
    private static String content(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return "";
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (!node.isArray()) {
            throw ApiError.invalid(at, "invalid_type", at + " must be a string or an array of text parts, not " + kind(node));
        }
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < node.size(); j++) {
            JsonNode part = node.get(j);
            String partAt = at + "[" + j + "]";
            String type = part.path("type").asText("");
            if (!type.equals("text")) {
                throw ApiError.invalid(partAt + ".type", "invalid_value", partAt + " is a '" + type
                        + "' part; Steward takes only text parts ({\"type\": \"text\", \"text\": \"…\"})");
            }
            if (!part.path("text").isTextual()) {
                throw ApiError.invalid(partAt + ".text", "invalid_type", partAt + ".text must be a string");
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(part.get("text").asText());
        }
        return text.toString();
    }

    private static List<ToolCall> toolCalls(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiError.invalid(at, "invalid_type", at + " must be an array, not " + kind(node));
        }
        List<ToolCall> calls = new ArrayList<>(node.size());
        for (int j = 0; j < node.size(); j++) {
            JsonNode call = node.get(j);
            String callAt = at + "[" + j + "]";
            String id = requiredString(call, "id", callAt + ".id", callAt + ".id is required");
            JsonNode function = call.get("function");
            if (function == null || !function.isObject()) {
                throw ApiError.invalid(callAt + ".function", "missing_required_parameter",
                        callAt + ".function is required: {name, arguments}");
            }
            String name = requiredString(function, "name", callAt + ".function.name", callAt + ".function.name is required");
            calls.add(new ToolCall(id, name, arguments(function.get("arguments"))));
        }
        return calls;
    }

    /** Tool arguments arrive as a JSON string; text that is not JSON is kept as it was written. */
    private static JsonNode arguments(JsonNode node) {
        if (node == null || node.isNull()) {
            return Json.object();
        }
        if (!node.isTextual()) {
            return node;
        }
        String text = node.asText();
        if (text.isBlank()) {
            return Json.object();
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }

    private static List<ToolDefinition> tools(JsonNode root) {
        JsonNode node = root.get("tools");
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ApiError.invalid("tools", "invalid_type", "tools must be an array, not " + kind(node));
        }
        List<ToolDefinition> tools = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode tool = node.get(i);
            String at = "tools[" + i + "]";
            String type = tool.path("type").asText("function");
            if (!type.equals("function")) {
                throw ApiError.invalid(at + ".type", "invalid_value",
                        at + ".type '" + type + "' is not supported; Steward takes function tools");
            }
            JsonNode function = tool.get("function");
            if (function == null || !function.isObject()) {
                throw ApiError.invalid(at + ".function", "missing_required_parameter",
                        at + ".function is required: {name, description, parameters}");
            }
            String name = requiredString(function, "name", at + ".function.name", at + ".function.name is required");
            String description = function.path("description").asText("");
            JsonNode parameters = function.get("parameters");
            if (parameters == null || parameters.isNull()) {
                parameters = Json.object().put("type", "object").set("properties", Json.object());
            } else if (!parameters.isObject()) {
                throw ApiError.invalid(at + ".function.parameters", "invalid_type",
                        at + ".function.parameters must be a JSON Schema object");
            }
            tools.add(new ToolDefinition(name, description, parameters));
        }
        return tools;
    }

    private static boolean jsonMode(JsonNode root) {
        JsonNode format = root.get("response_format");
        if (format == null || format.isNull()) {
            return false;
        }
        if (!format.isObject() || !format.path("type").isTextual()) {
            throw ApiError.invalid("response_format", "invalid_type",
                    "response_format must be an object such as {\"type\": \"json_object\"}");
        }
        return switch (format.get("type").asText()) {
            case "text" -> false;
            case "json_object", "json_schema" -> true;
            default -> throw ApiError.invalid("response_format.type", "invalid_value",
                    "response_format.type must be text, json_object or json_schema");
        };
    }

    private static String requiredString(JsonNode parent, String field, String message) {
        return requiredString(parent, field, field, message);
    }

    private static String requiredString(JsonNode parent, String field, String param, String message) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull() || (node.isTextual() && node.asText().isBlank())) {
            throw ApiError.invalid(param, "missing_required_parameter", message);
        }
        if (!node.isTextual()) {
            throw ApiError.invalid(param, "invalid_type", param + " must be a string, not " + kind(node));
        }
        return node.asText();
    }

    private static Double number(JsonNode root, String field, double min, double max) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw ApiError.invalid(field, "invalid_type", field + " must be a number, not " + kind(node));
        }
        double value = node.asDouble();
        if (value < min || value > max) {
            throw ApiError.invalid(field, "invalid_value", field + " must be between " + fmt(min) + " and " + fmt(max));
        }
        return value;
    }

    private static Integer maxTokens(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiError.invalid(field, "invalid_type", field + " must be an integer, not " + kind(node));
        }
        if (node.asInt() < 1) {
            throw ApiError.invalid(field, "invalid_value", field + " must be at least 1");
        }
        return node.asInt();
    }

    private static boolean bool(JsonNode parent, String field) {
        return bool(parent, field, field);
    }

    private static boolean bool(JsonNode parent, String field, String param) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiError.invalid(param, "invalid_type", param + " must be true or false, not " + kind(node));
        }
        return node.asBoolean();
    }

    private static String kind(JsonNode node) {
        if (node.isIntegralNumber() || node.isFloatingPointNumber()) {
            return "a number";
        }
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
