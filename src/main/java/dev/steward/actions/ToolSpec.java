package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;

/** What a tool is, in the MCP shape (name, description, JSON Schema of its input) plus its risk level. */
public record ToolSpec(String name, String description, JsonNode inputSchema, Risk risk) {}
