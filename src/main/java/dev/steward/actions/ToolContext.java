package dev.steward.actions;

/** On whose behalf a tool runs: the user, their role (for the gate's policy, may be null) and, if any, the task. */
public record ToolContext(String userId, String taskId, String role) {
    public ToolContext(String userId, String taskId) {
        this(userId, taskId, null);
    }
}
