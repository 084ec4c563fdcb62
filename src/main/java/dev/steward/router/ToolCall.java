package dev.steward.router;

import com.fasterxml.jackson.databind.JsonNode;

/** A model's request to run a tool: the call id it chose, the tool's name, and JSON arguments. */
public record ToolCall(String id, String name, JsonNode arguments) {}
