package dev.steward.router;

/** A model call failed: the provider is down, refused the request, or answered something unreadable. */
public class ModelException extends RuntimeException {
    private final boolean retryable;

    public ModelException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public ModelException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    /** How long the provider asked us to wait before trying again, if it said. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.empty();
    }

    /** Whether another try, here or at another provider, may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
