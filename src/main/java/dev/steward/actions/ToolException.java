package dev.steward.actions;

/** A call that cannot be carried out as asked; the message says why, in words a model or a person can act on. */
final class ToolException extends RuntimeException {
    ToolException(String message) {
        super(message);
    }
}
