package dev.steward.rollout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one arm of a rollout has done so far: calls, failures, the 95th percentile of latency, cost, and (for the
 * candidate's shadow copies) how often it agreed with the baseline.
 *
 * @param agreement  mean agreement (0..1) of shadow answers with the baseline's, or null with no shadow answer
 * @param judgements the Supervisor's verdicts and users' ratings of this arm's answers
 */
public record ArmStats(long requests, long errors, long p95Ms, long costMicros, Double agreement,
                       Judgements judgements) {
    public static final ArmStats NONE = new ArmStats(0, 0, 0, 0, null, Judgements.NONE);

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** Mean cost of a call, in micro-dollars. */
    public double meanCostMicros() {
        return requests == 0 ? 0 : (double) costMicros / requests;
    }

    /** Adds up calls as they come; thread-safe. */
    static final class Tally {
        private final List<Long> latencies = new ArrayList<>();
        private long requests;
        private long errors;
        private long cost;
        private double agreementSum;
        private long agreements;

        synchronized void add(boolean ok, long latencyMs, long costMicros, Double agreement) {
            requests++;
            if (!ok) {
                errors++;
            }
            latencies.add(latencyMs);
            cost += costMicros;
            if (agreement != null) {
                agreementSum += agreement;
                agreements++;
            }
        }

        synchronized ArmStats snapshot(Judgements judgements) {
            return new ArmStats(requests, errors, percentile(latencies, 95), cost,
                    agreements == 0 ? null : agreementSum / agreements, judgements);
        }
    }

    /** The nearest-rank percentile: the smallest value at least p% of the values are at or below. */
    static long percentile(List<Long> values, int p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
