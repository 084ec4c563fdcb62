package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One step of a task's history, persisted and streamed: a transition, a model call, a tool call, the answer.
 *
 * @param role who acted: manager, employee, supervisor, or null for the runtime itself
 */
public record TaskEvent(String taskId, int seq, String type, String role, String message, JsonNode data, long createdAt) {}
