package dev.steward.memory;

/**
 * A finished exchange or task, as stored after the privacy filter.
 *
 * @param kind exchange (a message and its answer) or task
 */
public record Episode(String id, String userId, String kind, String taskId, String input, String answer,
                      long createdAt) {
    public String text() {
        return "You said: " + input + (answer == null || answer.isBlank() ? "" : "\nI answered: " + answer);
    }
}
