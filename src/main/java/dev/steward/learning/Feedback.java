package dev.steward.learning;

/** One user's rating of one task, with what they said about it. */
public record Feedback(String taskId, String userId, Rating rating, String comment, long createdAt) {
    public Feedback {
        comment = comment == null || comment.isBlank() ? null : comment.strip();
    }
}
