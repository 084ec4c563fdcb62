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

    /** Whether another try, here or at another provider, may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
