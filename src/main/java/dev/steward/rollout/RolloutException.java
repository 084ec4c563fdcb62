package dev.steward.rollout;

/**
 * A rollout request that cannot be done as asked: what is wrong and how to fix it. Nothing was changed.
 *
 * @see Kind for how the CLI and the API report it
 */
public final class RolloutException extends RuntimeException {
    /** INVALID: bad input (exit 2, HTTP 400); NOT_FOUND: no such rollout, alias or model; CONFLICT: the state forbids it. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;
    private final String hint;

    public RolloutException(Kind kind, String message, String hint) {
        super(message);
        this.kind = kind;
        this.hint = hint;
    }

    public Kind kind() {
        return kind;
    }

    public String hint() {
        return hint;
    }
}
