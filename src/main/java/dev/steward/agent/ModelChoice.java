package dev.steward.agent;

import dev.steward.config.AgentsConfig;

/** Which model a task's call names, so that the router sends it there instead of choosing by tier. */
final class ModelChoice {
    private ModelChoice() {}

    /**
     * The alias or model the request named ({@code ask --model}) wins; else an Employee call of a profile with a
     * {@code model} gets it, when the profile's flag (if it has one) is on for the user; else null: the router
     * chooses by tier.
     */
    static String named(String requested, AgentsConfig.Profile employeeProfile, String userId, FlagCheck flags) {
        if (requested != null) {
            return requested;
        }
        if (employeeProfile == null || employeeProfile.model() == null) {
            return null;
        }
        return employeeProfile.flag() == null || flags.on(employeeProfile.flag(), userId) ? employeeProfile.model()
                : null;
    }
}
