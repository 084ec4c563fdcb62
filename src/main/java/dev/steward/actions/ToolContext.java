package dev.steward.actions;

import dev.steward.config.Role;

/** On whose behalf a tool runs: the user, their role (for the gate's policy, may be null) and, if any, the task. */
public record ToolContext(String userId, String taskId, Role role) {
    public ToolContext(String userId, String taskId) {
        this(userId, taskId, null);
    }
}
