package dev.steward.router;

import java.util.List;

/**
 * One message of a conversation, in the shape every provider understands: a role, text, and for assistant
 * messages the tool calls it made, for tool messages the call they answer.
 *
 * @param cacheable the conversation up to and including this message is a stable prefix worth keeping in the
 *                  provider's prompt cache (an Anthropic {@code cache_control} breakpoint; OpenAI caches by itself)
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name,
                          boolean cacheable) {

    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    public ChatMessage {
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {
        this(role, content, toolCalls, toolCallId, name, false);
    }

    /** This message, marked as the end of a prefix to cache. */
    public ChatMessage asCacheable() {
        return new ChatMessage(role, content, toolCalls, toolCallId, name, true);
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content, null, null, null);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content, null, null, null);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content, null, null, null);
    }

    public static ChatMessage assistant(String content, List<ToolCall> toolCalls) {
        return new ChatMessage(Role.ASSISTANT, content, toolCalls, null, null);
    }

    /** The result of a tool call, sent back to the model. */
    public static ChatMessage tool(ToolCall call, String content) {
        return new ChatMessage(Role.TOOL, content, null, call.id(), call.name());
    }
}
