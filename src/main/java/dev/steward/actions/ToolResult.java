package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;

/** A tool's structured result, or the error that stopped it. */
public record ToolResult(JsonNode content, String error) {
    public static ToolResult ok(JsonNode content) {
        return new ToolResult(content, null);
    }

    public static ToolResult failed(String error) {
        return new ToolResult(null, error);
    }

    public boolean isError() {
        return error != null;
    }
}
