package dev.steward.rollout;

import java.util.Locale;
import java.util.Optional;

/**
 * The limits a candidate must stay within; the first it breaks rolls the rollout back. Checked once the candidate has
 * {@code minRequests} calls, on every call after that and at every step.
 *
 * @param maxErrorRate  the share of candidate calls that may fail (0..1)
 * @param maxP95Ms      the candidate's 95th-percentile latency, in milliseconds; null: not checked
 * @param maxCostRatio  the candidate's mean cost per call over the baseline's; null: not checked
 * @param minRequests   candidate calls before the gates judge at all
 */
public record Gates(double maxErrorRate, Long maxP95Ms, Double maxCostRatio, int minRequests) {
    public static final double DEFAULT_MAX_ERROR_RATE = 0.05;
    public static final int DEFAULT_MIN_REQUESTS = 20;

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
    }

    public static Gates defaults() {
        return new Gates(DEFAULT_MAX_ERROR_RATE, null, null, DEFAULT_MIN_REQUESTS);
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
        return Optional.empty();
    }
}
