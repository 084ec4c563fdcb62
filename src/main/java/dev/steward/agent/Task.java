package dev.steward.agent;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One row of {@code tasks}: a piece of work someone asked for, with its outcome, tokens, cost and timings, and where
 * a longer run stands: its agent profile, its plan, the step it is on, the Supervisor's iteration, and what it waits
 * for (a question for the user, or an approval); and where it came from ({@code source}: cli, api, schedule:NAME,
 * webhook:NAME, crew:NAME).
 */
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
        Long finishedAt,
        String agent,
        JsonNode plan,
        Integer currentStep,
        Integer iteration,
        String question,
        String approvalId,
        String source) {

    /** A task with run state, from an unnamed source (a row written before sources were recorded). */
    public Task(String id, String userId, String conversationId, TaskStatus status, Intent intent, String input,
                String answer, String error, String model, long tokensIn, long tokensOut, long costMicros,
                long createdAt, Long startedAt, Long finishedAt, String agent, JsonNode plan, Integer currentStep,
                Integer iteration, String question, String approvalId) {
        this(id, userId, conversationId, status, intent, input, answer, error, model, tokensIn, tokensOut, costMicros,
                createdAt, startedAt, finishedAt, agent, plan, currentStep, iteration, question, approvalId, null);
    }

    /** A task with no run state yet: no agent, plan, step, question or approval. */
    public Task(String id, String userId, String conversationId, TaskStatus status, Intent intent, String input,
                String answer, String error, String model, long tokensIn, long tokensOut, long costMicros,
                long createdAt, Long startedAt, Long finishedAt) {
        this(id, userId, conversationId, status, intent, input, answer, error, model, tokensIn, tokensOut, costMicros,
                createdAt, startedAt, finishedAt, null, null, null, null, null, null, null);
    }

    @JsonProperty("cost_usd")
    public double costUsd() {
        return costMicros / 1_000_000.0;
    }

    @JsonProperty("duration_ms")
    public Long durationMs() {
        return startedAt == null || finishedAt == null ? null : finishedAt - startedAt;
    }
}
