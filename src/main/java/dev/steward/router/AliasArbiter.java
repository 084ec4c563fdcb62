package dev.steward.router;

/**
 * Decides, call by call, which arm of a routing alias answers, and hears how each arm did. The router knows only
 * this seam; a rollout (above the agent) implements it and the application wires it in, so the router never knows
 * what a rollout is.
 */
public interface AliasArbiter {
    /** Nothing is ever rolled out: every alias call goes to the alias's model. */
    AliasArbiter NONE = new AliasArbiter() {
        @Override
        public Assignment assign(String alias, String baseline, CallContext context) {
            return new Untouched();
        }

        @Override
        public void observe(Observed call) {}
    };

    /** Called once per call made to {@code alias}, whose configured model is {@code baseline}; must be cheap. */
    Assignment assign(String alias, String baseline, CallContext context);

    /** One arm's call finished (the router calls it on its own threads; it must not throw). */
    void observe(Observed call);

    /** Which model serves a call. */
    sealed interface Assignment permits Untouched, Baseline, Candidate, Shadow {}

    /** No rollout on the alias: its model answers, and nobody is told. */
    record Untouched() implements Assignment {}

    /** In a rollout, this caller stays on the baseline; the call is counted for the baseline arm. */
    record Baseline(String rollout) implements Assignment {}

    /** In a rollout, this caller goes to the candidate; a failed candidate call falls back to the baseline. */
    record Candidate(String rollout, String model) implements Assignment {}

    /** The baseline answers; the candidate gets a copy in the background, answers nobody and its tools never run. */
    record Shadow(String rollout, String model) implements Assignment {}

    enum Arm { BASELINE, CANDIDATE }

    /**
     * How one call went.
     *
     * @param shadow         a shadow copy, whose answer went to nobody
     * @param error          why it failed, or null when it answered
     * @param answer         its answer, or null when it failed
     * @param baselineAnswer for a shadow copy, what the baseline answered the caller; otherwise null
     * @param taskId         the task the call served, or null: its Supervisor verdicts and ratings judge this arm
     */
    record Observed(String rollout, Arm arm, String model, String userId, boolean shadow, long latencyMs,
                    long costMicros, String error, ChatResponse answer, ChatResponse baselineAnswer, String taskId) {
        public Observed(String rollout, Arm arm, String model, String userId, boolean shadow, long latencyMs,
                        long costMicros, String error, ChatResponse answer, ChatResponse baselineAnswer) {
            this(rollout, arm, model, userId, shadow, latencyMs, costMicros, error, answer, baselineAnswer, null);
        }

        public boolean ok() {
            return error == null;
        }
    }
}
