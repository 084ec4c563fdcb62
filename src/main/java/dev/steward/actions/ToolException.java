package dev.steward.actions;

/** A call that cannot be carried out as asked; the message says why, in words a model or a person can act on. */
public final class ToolException extends RuntimeException {
    public ToolException(String message) {
        super(message);
    }
}
