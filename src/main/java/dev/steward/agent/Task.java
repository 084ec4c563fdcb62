package dev.steward.agent;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One row of {@code tasks}: a piece of work someone asked for, with its outcome, tokens, cost and timings. */
public record Task(
        String id,
        String userId,
        String conversationId,
        TaskStatus status,
        Intent intent,
        String input,
        String answer,
        String error,
        String model,
        long tokensIn,
        long tokensOut,
        long costMicros,
        long createdAt,
        Long startedAt,
        Long finishedAt) {

    @JsonProperty("cost_usd")
    public double costUsd() {
        return costMicros / 1_000_000.0;
    }

    @JsonProperty("duration_ms")
    public Long durationMs() {
        return startedAt == null || finishedAt == null ? null : finishedAt - startedAt;
    }
}
