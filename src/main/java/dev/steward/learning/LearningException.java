package dev.steward.learning;

/** A learning operation that cannot be done, with what to do about it (null when the message says it all). */
public final class LearningException extends RuntimeException {
    private final String hint;

    public LearningException(String message, String hint) {
        super(message);
        this.hint = hint;
    }

    public String hint() {
        return hint;
    }
}
