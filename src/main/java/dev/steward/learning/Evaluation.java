package dev.steward.learning;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A proposal replayed: the recorded requests it is meant to fix ({@code target}) and a sample of others as a
 * regression guard ({@code guard}), each as recorded (before) and against the proposed configuration (after).
 *
 * @param improves the change fixes more of its target than before
 * @param regresses the guard does worse than before
 * @param note what was not evaluated, and why (no recorded request could be replayed, no model to replay on)
 */
public record Evaluation(Arm targetBefore, Arm targetAfter, Arm guardBefore, Arm guardAfter, boolean improves,
                         boolean regresses, String verdict, String note, @JsonProperty("evaluated_at") long evaluatedAt) {

    /** Requests, how many succeeded, their median latency and what they cost in total. */
    public record Arm(int requests, int successes, @JsonProperty("p50_ms") long p50Ms,
                      @JsonProperty("cost_micros") long costMicros) {
        static final Arm NONE = new Arm(0, 0, 0, 0);

        static Arm of(List<Outcome> outcomes) {
            if (outcomes.isEmpty()) {
                return NONE;
            }
            long[] latencies = outcomes.stream().mapToLong(Outcome::latencyMs).sorted().toArray();
            return new Arm(outcomes.size(), (int) outcomes.stream().filter(Outcome::ok).count(),
                    latencies[(latencies.length - 1) / 2], outcomes.stream().mapToLong(Outcome::costMicros).sum());
        }

        public double successRate() {
            return requests == 0 ? 0 : successes / (double) requests;
        }

        public String describe() {
            return requests == 0 ? "none" : successes + "/" + requests + " ok, p50 " + p50Ms + " ms, $"
                    + String.format(java.util.Locale.ROOT, "%.4f", costMicros / 1e6);
        }
    }

    /** One request, recorded or replayed. */
    record Outcome(boolean ok, long latencyMs, long costMicros) {}

    static Evaluation of(List<Outcome> targetBefore, List<Outcome> targetAfter, List<Outcome> guardBefore,
                         List<Outcome> guardAfter, String note, long at) {
        Arm tb = Arm.of(targetBefore);
        Arm ta = Arm.of(targetAfter);
        Arm gb = Arm.of(guardBefore);
        Arm ga = Arm.of(guardAfter);
        boolean improves = ta.requests() > 0 && ta.successRate() > tb.successRate();
        boolean regresses = ga.requests() > 0 && ga.successRate() < gb.successRate();
        String verdict = ta.requests() == 0 ? "not evaluated"
                : regresses ? "regresses the guard: " + gb.describe() + " → " + ga.describe()
                : improves ? "improves its target: " + tb.describe() + " → " + ta.describe()
                : "does not improve its target: " + tb.describe() + " → " + ta.describe();
        return new Evaluation(tb, ta, gb, ga, improves, regresses, verdict, note, at);
    }
}
