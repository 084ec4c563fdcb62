package dev.steward.memory;

/**
 * A finished exchange or task, as stored after the privacy filter.
 *
 * @param kind exchange (a message and its answer), task, or summary (of old episodes, by upkeep: its input is the
 *             summary)
 */
public record Episode(String id, String userId, String kind, String taskId, String input, String answer,
                      long createdAt) {
    /** Whether this is upkeep's summary of old episodes rather than one exchange. */
    public boolean summary() {
        return EpisodeUpkeep.SUMMARY.equals(kind);
    }

    public String text() {
        return summary() ? input
                : "You said: " + input + (answer == null || answer.isBlank() ? "" : "\nI answered: " + answer);
    }
}
