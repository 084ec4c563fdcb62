package dev.steward.support;

/** What to tell a person about an exception: its own words where it has any, never "null". */
public final class Errors {
    private Errors() {}

    /** The exception's message, or its class and nothing else when it has none. */
    public static String message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message;
    }

    /** The first line of {@link #message}: a driver's multi-line report reduced to what went wrong. */
    public static String firstLine(Throwable e) {
        return message(e).lines().findFirst().orElse("");
    }

    /** The innermost cause: "Connection refused" rather than "Failed to connect to /127.0.0.1:8080". */
    public static Throwable root(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The outermost message along the chain of causes, or {@code fallback} when none has one. */
    public static String outermostMessage(Throwable e, String fallback) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return fallback;
    }

    /** The innermost message along the chain of causes, or {@code fallback} when none has one. */
    public static String innermostMessage(Throwable e, String fallback) {
        String found = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                found = t.getMessage();
            }
        }
        return found == null ? fallback : found;
    }
}
