package dev.steward.router;

import java.util.List;

/**
 * What a caller asks of a model.
 *
 * @param model       a model or route alias the caller named, or null to let the router choose
 * @param temperature null for the provider's default
 * @param maxTokens   null for the provider's default
 * @param jsonMode    ask for a JSON object answer where the provider supports it
 */
public record ChatRequest(
        List<ChatMessage> messages,
        List<ToolDefinition> tools,
        String model,
        Double temperature,
        Integer maxTokens,
        boolean jsonMode) {

    public ChatRequest {
        messages = List.copyOf(messages);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    public static ChatRequest of(List<ChatMessage> messages, List<ToolDefinition> tools) {
        return new ChatRequest(messages, tools, null, null, null, false);
    }

    /** The last message the user wrote, or empty text. */
    public String lastUserText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == ChatMessage.Role.USER) {
                return messages.get(i).content();
            }
        }
        return "";
    }

    public boolean offersTool(String name) {
        return tools.stream().anyMatch(t -> t.name().equals(name));
    }
}
