package dev.steward.router;

import com.fasterxml.jackson.databind.JsonNode;

/** A tool offered to a model: the MCP shape of name, description and JSON Schema of the input. */
public record ToolDefinition(String name, String description, JsonNode inputSchema) {}
