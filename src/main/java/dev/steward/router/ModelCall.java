package dev.steward.router;

/** One row of {@code model_calls}: the record every model call leaves, successful or not. */
public record ModelCall(
        String id,
        String taskId,
        String userId,
        String provider,
        String model,
        Locality locality,
        String routeReason,
        String fallbackPath,
        long tokensIn,
        long tokensOut,
        long costMicros,
        long latencyMs,
        Long ttftMs,
        boolean cacheHit,
        String outcome,
        String error,
        long createdAt) {}
