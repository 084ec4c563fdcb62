package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a tool is, in the MCP shape (name, description, JSON Schema of its input) plus its risk level and an
 * estimate of what one call costs (micro-dollars; 0 for free tools).
 */
public record ToolSpec(String name, String description, JsonNode inputSchema, Risk risk, long costMicros) {
    public ToolSpec(String name, String description, JsonNode inputSchema, Risk risk) {
        this(name, description, inputSchema, risk, 0);
    }
}
