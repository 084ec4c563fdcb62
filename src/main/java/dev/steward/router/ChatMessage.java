package dev.steward.router;

import java.util.List;

/**
 * One message of a conversation, in the shape every provider understands: a role, text, and for assistant
 * messages the tool calls it made, for tool messages the call they answer.
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {

    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    public ChatMessage {
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
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
