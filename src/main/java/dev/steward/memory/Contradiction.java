package dev.steward.memory;

/**
 * A statement that disagrees with a stored fact and was not applied: the user is asked which is right.
 *
 * @param factId the stored fact it disagrees with
 * @param status pending, accepted (the new value replaced the fact) or rejected (the fact stays)
 */
public record Contradiction(String id, String userId, String factId, String subject, String attribute, String value,
                            Category category, double confidence, String statement, String status, long createdAt,
                            Long resolvedAt) {
    public static final String PENDING = "pending";
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
}
