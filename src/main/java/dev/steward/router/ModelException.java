package dev.steward.router;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A model call failed: the provider is down, refused the request, or answered something unreadable.
 *
 * <p>{@link #kind()} says what happened; from it follow {@link #retryable()} (another try, here or at another
 * provider, may succeed) and {@link #retrySameProvider()} (it is worth trying this provider again). They differ
 * only for {@link Kind#MALFORMED}: a provider that answered unreadable JSON will most likely do it again, so the
 * router should move on to another provider rather than retry it. {@link #status()} is the HTTP status, or 0 when
 * no response arrived; {@link #retryAfter()} is the provider's Retry-After, if it sent one.
 *
 * <p>A stream that fails part-way has already handed chunks to the caller; whoever retries must account for that.
 */
public class ModelException extends RuntimeException {

    /** What went wrong, as far as a retry policy cares. */
    public enum Kind {
        /** Could not connect: refused, unknown host, TLS failure, connection reset before any answer. */
        CONNECT(true, true),
        /** No response headers within the request timeout, or HTTP 408. */
        TIMEOUT(true, true),
        /** The answer started but then went silent for longer than the idle timeout. */
        STALLED(true, true),
        /** The connection ended before the answer was complete. */
        STREAM_BROKEN(true, true),
        /** HTTP 429 or a rate-limit error: wait {@link #retryAfter()} if given, or go elsewhere. */
        RATE_LIMITED(true, true),
        /** HTTP 5xx, 409, Anthropic's 529 "overloaded", or an error event mid-stream. */
        UNAVAILABLE(true, true),
        /** The provider answered something that is not the JSON its API promises: try another provider. */
        MALFORMED(true, false),
        /** HTTP 401 or 403: the API key is missing, wrong, or lacks permission. */
        AUTH(false, false),
        /** HTTP 404: the model (or the base URL) is unknown to the provider. */
        NOT_FOUND(false, false),
        /** Any other 4xx: the request itself is wrong (too long a context, a bad parameter). */
        BAD_REQUEST(false, false),
        /** The calling thread was interrupted; its interrupt flag is left set. */
        CANCELLED(false, false),
        /** Anything else; thrown by code that only knows whether a retry may help. */
        OTHER(false, false);

        private final boolean retryable;
        private final boolean retrySameProvider;

        Kind(boolean retryable, boolean retrySameProvider) {
            this.retryable = retryable;
            this.retrySameProvider = retrySameProvider;
        }

        public boolean retryable() {
            return retryable;
        }

        public boolean retrySameProvider() {
            return retrySameProvider;
        }
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;
    private final boolean retryable;
    private final boolean retrySameProvider;

    public ModelException(Kind kind, String message, int status, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
        this.retryable = kind.retryable();
        this.retrySameProvider = kind.retrySameProvider();
    }

    public ModelException(Kind kind, String message) {
        this(kind, message, 0, null, null);
    }

    /** For failures that are not a provider's answer: kind {@link Kind#OTHER}, status 0. */
    public ModelException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.kind = Kind.OTHER;
        this.status = 0;
        this.retryAfter = null;
        this.retryable = retryable;
        this.retrySameProvider = retryable;
    }

    public ModelException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status the provider answered with, or 0 if there was none (connection failure, timeout, ...). */
    public int status() {
        return status;
    }

    /** How long the provider asked us to wait before trying again, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Whether another try, here or at another provider, may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether another try at this same provider may succeed (false for malformed answers: go elsewhere). */
    public boolean retrySameProvider() {
        return retrySameProvider;
    }

    /**
     * Parses a Retry-After header: delay-seconds (OpenAI and Anthropic send these; a fraction is tolerated) or an
     * HTTP-date, measured from {@code now}. Null when absent or unreadable; a date in the past gives zero.
     */
    public static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.strip();
        try {
            double seconds = Double.parseDouble(text);
            if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                return null;
            }
            return Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(now, at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
