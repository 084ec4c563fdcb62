package dev.steward.actions;

import dev.steward.config.Role;

/**
 * On whose behalf a tool runs: the user, their role (for the gate's policy, may be null), if any the task, and the
 * approval the call runs under (set by the gate; a tool that moves money derives its idempotency key from it).
 */
public record ToolContext(String userId, String taskId, Role role, String approvalId) {
    public ToolContext(String userId, String taskId, Role role) {
        this(userId, taskId, role, null);
    }

    public ToolContext(String userId, String taskId) {
        this(userId, taskId, null, null);
    }

    /** The same caller, running under an approval. */
    public ToolContext underApproval(String id) {
        return new ToolContext(userId, taskId, role, id);
    }
}
