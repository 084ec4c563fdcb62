package dev.steward.app;

/** The command line asks for something that cannot be done as written; the message says how to write it. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
