package dev.steward.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.support.Json;
import java.util.Locale;
import java.util.Optional;

/**
 * The limits a candidate must stay within; the first it breaks rolls the rollout back. Checked once the candidate has
 * {@code minRequests} calls, on every call after that and at every step.
 *
 * @param maxErrorRate      the share of candidate calls that may fail (0..1)
 * @param maxP95Ms          the candidate's 95th-percentile latency, in milliseconds; null: not checked
 * @param maxCostRatio      the candidate's mean cost per call over the baseline's; null: not checked
 * @param minRequests       candidate calls before the gates judge at all
 * @param maxSupervisorDrop how far (0..1) the candidate's Supervisor pass rate may fall under the baseline's
 * @param maxFeedbackDrop   how far (0..1) the candidate's share of thumbs up may fall under the baseline's
 */
public record Gates(double maxErrorRate, Long maxP95Ms, Double maxCostRatio, int minRequests,
                    double maxSupervisorDrop, double maxFeedbackDrop) {
    public static final double DEFAULT_MAX_ERROR_RATE = 0.05;
    public static final int DEFAULT_MIN_REQUESTS = 20;
    /** Pass rate or thumbs-up share points the candidate may lose against the baseline: 0.2 is 20 points. */
    public static final double DEFAULT_MAX_QUALITY_DROP = 0.2;
    /** Verdicts (or ratings) each arm needs before the quality gates compare them: fewer says too little. */
    public static final int MIN_JUDGEMENTS = 5;
    /** 0.8 - 0.6 is a hair over 0.2 in doubles: a drop exactly at the limit is allowed. */
    private static final double ROUNDING = 1e-9;

    public Gates {
        if (maxErrorRate < 0 || maxErrorRate > 1) {
            throw new IllegalArgumentException("--max-error-rate must be between 0 and 1 (0.05 is 5%), not " + maxErrorRate);
        }
        if (maxP95Ms != null && maxP95Ms <= 0) {
            throw new IllegalArgumentException("--max-p95-ms must be a positive number of milliseconds");
        }
        if (maxCostRatio != null && maxCostRatio <= 0) {
            throw new IllegalArgumentException("--max-cost-ratio must be above 0 (1.5 allows half as much again)");
        }
        if (minRequests < 1) {
            throw new IllegalArgumentException("--min-requests must be at least 1");
        }
        if (maxSupervisorDrop < 0 || maxSupervisorDrop > 1) {
            throw new IllegalArgumentException("--max-supervisor-drop must be between 0 and 1 (0.2 is 20 points of"
                    + " pass rate), not " + maxSupervisorDrop);
        }
        if (maxFeedbackDrop < 0 || maxFeedbackDrop > 1) {
            throw new IllegalArgumentException("--max-feedback-drop must be between 0 and 1 (0.2 is 20 points of"
                    + " thumbs up), not " + maxFeedbackDrop);
        }
    }

    public Gates(double maxErrorRate, Long maxP95Ms, Double maxCostRatio, int minRequests) {
        this(maxErrorRate, maxP95Ms, maxCostRatio, minRequests, DEFAULT_MAX_QUALITY_DROP, DEFAULT_MAX_QUALITY_DROP);
    }

    public static Gates defaults() {
        return new Gates(DEFAULT_MAX_ERROR_RATE, null, null, DEFAULT_MIN_REQUESTS);
    }

    /** Gates from their JSON fields (the API's body, the stored row); a missing field takes its default. */
    public static Gates of(JsonNode g) {
        return new Gates(g.path("max_error_rate").asDouble(DEFAULT_MAX_ERROR_RATE),
                g.hasNonNull("max_p95_ms") ? g.get("max_p95_ms").asLong() : null,
                g.hasNonNull("max_cost_ratio") ? g.get("max_cost_ratio").asDouble() : null,
                g.path("min_requests").asInt(DEFAULT_MIN_REQUESTS),
                g.path("max_supervisor_drop").asDouble(DEFAULT_MAX_QUALITY_DROP),
                g.path("max_feedback_drop").asDouble(DEFAULT_MAX_QUALITY_DROP));
    }

    /** The JSON fields {@link #of} reads. */
    public ObjectNode json() {
        ObjectNode node = Json.object().put("max_error_rate", maxErrorRate).put("min_requests", minRequests);
        node.put("max_p95_ms", maxP95Ms);
        node.put("max_cost_ratio", maxCostRatio);
        return node.put("max_supervisor_drop", maxSupervisorDrop).put("max_feedback_drop", maxFeedbackDrop);
    }

    /** Whether the gates judge yet: enough candidate calls, or a step is about to be taken. */
    boolean ready(ArmStats candidate, boolean atStep) {
        return candidate.requests() >= minRequests || atStep && candidate.requests() > 0;
    }

    /** Why the candidate fails, or empty when it passes every gate. */
    Optional<String> failure(ArmStats candidate, ArmStats baseline) {
        if (candidate.errorRate() > maxErrorRate) {
            return Optional.of(String.format(Locale.ROOT, "error rate %.1f%% (%d of %d candidate calls failed) is above"
                            + " the %.1f%% allowed", 100 * candidate.errorRate(), candidate.errors(), candidate.requests(),
                    100 * maxErrorRate));
        }
        if (maxP95Ms != null && candidate.p95Ms() > maxP95Ms) {
            return Optional.of("p95 latency " + candidate.p95Ms() + " ms is above the " + maxP95Ms + " ms allowed");
        }
        if (maxCostRatio != null && baseline.requests() > 0 && baseline.meanCostMicros() > 0) {
            double ratio = candidate.meanCostMicros() / baseline.meanCostMicros();
            if (ratio > maxCostRatio) {
                return Optional.of(String.format(Locale.ROOT, "cost per call is %.2f× the baseline's, above the %.2f×"
                        + " allowed", ratio, maxCostRatio));
            }
        }
        Judgements c = candidate.judgements();
        Judgements b = baseline.judgements();
        if (c.verdicts() >= MIN_JUDGEMENTS && b.verdicts() >= MIN_JUDGEMENTS
                && b.passRate() - c.passRate() > maxSupervisorDrop + ROUNDING) {
            return Optional.of(String.format(Locale.ROOT, "Supervisor pass rate %.0f%% (%d of %d candidate answers)"
                            + " is %.0f points under the baseline's %.0f%%, more than the %.0f allowed",
                    100 * c.passRate(), c.passes(), c.verdicts(), 100 * (b.passRate() - c.passRate()),
                    100 * b.passRate(), 100 * maxSupervisorDrop));
        }
        if (c.ratings() >= MIN_JUDGEMENTS && b.ratings() >= MIN_JUDGEMENTS
                && b.upRate() - c.upRate() > maxFeedbackDrop + ROUNDING) {
            return Optional.of(String.format(Locale.ROOT, "users rated %.0f%% of candidate answers up (%d of %d), %.0f"
                            + " points under the baseline's %.0f%%, more than the %.0f allowed", 100 * c.upRate(),
                    c.ups(), c.ratings(), 100 * (b.upRate() - c.upRate()), 100 * b.upRate(), 100 * maxFeedbackDrop));
        }
        return Optional.empty();
    }
}
