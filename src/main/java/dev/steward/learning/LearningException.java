package dev.steward.learning;

/** A learning operation that cannot be done, with what to do about it (null when the message says it all). */
public final class LearningException extends RuntimeException {
    private final String hint;
    private final boolean unknown;

    public LearningException(String message, String hint) {
        this(message, hint, false);
    }

    private LearningException(String message, String hint, boolean unknown) {
        super(message);
        this.hint = hint;
        this.unknown = unknown;
    }

    /** No proposal has this id (or prefix): a 404 over HTTP, not a refusal. */
    static LearningException unknownProposal(String id) {
        return new LearningException("no proposal \"" + id + "\"", "'steward improve list' shows the proposals", true);
    }

    /** The proposal asked for does not exist. */
    public boolean unknown() {
        return unknown;
    }

    public String hint() {
        return hint;
    }
}
