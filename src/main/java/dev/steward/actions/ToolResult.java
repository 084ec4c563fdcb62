package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool's structured result, or the error that stopped it (a failed call may still carry content, such as the
 * output of a command that was killed). {@code undo}, when present, takes the call's side effects back.
 */
public record ToolResult(JsonNode content, String error, Compensation undo) {
    public static ToolResult ok(JsonNode content) {
        return new ToolResult(content, null, null);
    }

    public static ToolResult failed(String error) {
        return new ToolResult(null, error, null);
    }

    public ToolResult withUndo(Compensation undo) {
        return new ToolResult(content, error, undo);
    }

    public boolean isError() {
        return error != null;
    }
}
