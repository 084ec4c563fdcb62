package dev.steward.router;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Retries at the same provider for failures that may pass, after the provider's Retry-After or a backoff; never
 * once part of an answer went out, and never for the offline model.
 */
final class SameProviderRetry {
    /** Longest Retry-After we wait out at the same provider; longer, and we fall back at once. */
    static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(10);
    private static final long BASE_BACKOFF_MILLIS = 200;

    private final int retries;
    /** One Retry per route, built once: its configuration holds no per-call state. */
    private final RetryConfig config;
    private final Map<String, Retry> perRoute = new ConcurrentHashMap<>();

    SameProviderRetry(int retries) {
        this.retries = retries;
        this.config = RetryConfig.<ChatResponse>custom()
                .maxAttempts(retries + 1)
                .retryOnException(e -> e instanceof ModelException m && m.retrySameProvider()
                        && m.retryAfter().map(wait -> wait.compareTo(MAX_RETRY_WAIT) <= 0).orElse(true))
                .intervalBiFunction((attempt, outcome) -> {
                    if (outcome.isLeft() && outcome.getLeft() instanceof ModelException m && m.retryAfter().isPresent()) {
                        return m.retryAfter().get().toMillis();
                    }
                    return backoff(attempt);
                })
                .build();
    }

    ChatResponse call(Route route, ChunkGuard guard, Supplier<ChatResponse> call) {
        if (retries <= 0 || route.locality() == Locality.OFFLINE) {
            return call.get();
        }
        Retry retry = perRoute.computeIfAbsent(route.id(), id -> Retry.of(id, config));
        try {
            return retry.executeSupplier(() -> {
                try {
                    return call.get();
                } catch (ModelException e) {
                    if (guard.emitted()) {
                        throw new AfterChunks(e); // part of the answer went out: trying again would repeat it
                    }
                    throw e;
                }
            });
        } catch (AfterChunks e) {
            throw e.failure;
        }
    }

    private static long backoff(int attempt) {
        long exponential = BASE_BACKOFF_MILLIS << Math.min(attempt - 1, 6);
        return exponential + (long) (Math.random() * exponential / 2);
    }

    /** A failure after chunks went out, carried past the retry untouched. */
    private static final class AfterChunks extends RuntimeException {
        final ModelException failure;

        AfterChunks(ModelException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }
}
