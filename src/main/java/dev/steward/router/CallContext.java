package dev.steward.router;

/**
 * Who a model call is for and what the caller knows about it, so that it is routed, recorded and charged right.
 *
 * @param taskId           the task it serves, or null
 * @param role             manager, employee, supervisor, or null
 * @param complexity       the caller's hint, or null to let the router estimate
 * @param previousFailures how many earlier tries at this work failed (raises the estimate)
 */
public record CallContext(String userId, String taskId, String role, Complexity complexity, int previousFailures) {

    public CallContext(String userId, String taskId) {
        this(userId, taskId, null, null, 0);
    }

    public static CallContext of(String userId) {
        return new CallContext(userId, null);
    }
}
