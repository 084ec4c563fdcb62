package dev.steward.agent;

/**
 * Whether a feature flag is on for a user. The flags themselves live above the agent (rollout); the application
 * wires them in here so that an agent profile's model can wait on one ({@code flag:} in the profile).
 */
@FunctionalInterface
public interface FlagCheck {
    /** No flags: every flag is off. */
    FlagCheck NONE = (flag, userId) -> false;

    boolean on(String flag, String userId);
}
