package dev.steward.support;

/** The command line asks for something that cannot be done as written; the message says how to write it. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
