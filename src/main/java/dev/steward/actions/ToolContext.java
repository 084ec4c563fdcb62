package dev.steward.actions;

/** On whose behalf a tool runs: the user and, if any, the task. */
public record ToolContext(String userId, String taskId) {}
