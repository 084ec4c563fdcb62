package dev.steward.router;

import java.util.List;

/**
 * A piece of a streamed answer as it arrives: text, and fragments of tool calls (a call's id and name come first,
 * its JSON arguments in fragments after). The gateway re-emits these as they come; nothing waits for the whole.
 */
public record ChatChunk(String text, List<ToolCallDelta> toolCalls) {

    /** A fragment of the tool call at {@code index}; id and name are null after the first fragment. */
    public record ToolCallDelta(int index, String id, String name, String argumentsFragment) {}

    public ChatChunk {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public static ChatChunk text(String text) {
        return new ChatChunk(text, List.of());
    }
}
