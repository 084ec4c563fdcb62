package dev.steward.router;

import java.util.List;

/** A model's answer: text, or tool calls to run before it answers, with the tokens it used. */
public record ChatResponse(String text, List<ToolCall> toolCalls, Usage usage, String model, FinishReason finishReason) {

    public enum FinishReason { STOP, TOOL_CALLS, LENGTH }

    public ChatResponse {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? Usage.NONE : usage;
    }

    public boolean wantsTools() {
        return !toolCalls.isEmpty();
    }
}
