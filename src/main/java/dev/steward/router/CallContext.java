package dev.steward.router;

/** Who a model call is for, so that it can be recorded and charged: the user and, if any, the task. */
public record CallContext(String userId, String taskId) {
    public static CallContext of(String userId) {
        return new CallContext(userId, null);
    }
}
