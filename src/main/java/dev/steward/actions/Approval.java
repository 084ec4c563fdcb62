package dev.steward.actions;

import dev.steward.config.Role;
import java.util.List;

/**
 * A tool call waiting for a person's yes or no. Status: pending, approved, rejected, expired, done, failed.
 * {@code token} confirms a decision made through a channel other than the local CLI. {@code untrusted} is the
 * untrusted content that entered the task before the call (empty when none did): what a person should look at
 * before saying yes.
 */
public record Approval(String id, String token, String userId, Role role, String taskId, String tool,
                       String arguments, String risk, String reason, String status, long createdAt, long expiresAt,
                       Long decidedAt, String decidedBy, String result, List<Provenance.Untrusted> untrusted) {
    public static final String PENDING = "pending";

    public Approval {
        untrusted = untrusted == null ? List.of() : List.copyOf(untrusted);
    }

    /** The status as of {@code now}: a pending request past its expiry is expired. */
    public String statusAt(long now) {
        return status.equals(PENDING) && now >= expiresAt ? "expired" : status;
    }
}
