package dev.steward.rollout;

import java.util.Locale;

/**
 * One rollout: an alias moved from its baseline model to a candidate along a plan, under gates.
 *
 * @param phase          the index of the plan's current step
 * @param phaseStartedAt when that step began (epoch ms), for steps that last a duration
 * @param reason         why it ended or was paused (a failed gate names itself), or null
 * @param owner          who started it, told when it rolls back
 */
public record Rollout(String id, String name, String alias, String baseline, String candidate, RolloutPlan plan,
                      Gates gates, State state, int phase, long phaseStartedAt, String reason, String owner,
                      long createdAt, long updatedAt) {

    public enum State {
        RUNNING, PAUSED, PROMOTED, ROLLED_BACK, ABORTED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static State of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }

        /** Running or paused: it holds its alias. */
        public boolean active() {
            return this == RUNNING || this == PAUSED;
        }
    }

    public RolloutPlan.Step step() {
        return plan.step(phase);
    }

    /** The current step as written ({@code shadow:50}, {@code 25%:200}), or the state once it has ended. */
    public String phaseText() {
        return state.active() || state == State.PROMOTED ? step().text() : state.id();
    }

    Rollout with(State newState, int newPhase, long newPhaseStartedAt, String newReason, long now) {
        return new Rollout(id, name, alias, baseline, candidate, plan, gates, newState, newPhase, newPhaseStartedAt,
                newReason, owner, createdAt, now);
    }
}
