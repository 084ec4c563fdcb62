package dev.steward.skills;

/**
 * One run of a skill's script: how it ended and what it printed. {@code error} is null when it succeeded (exit 0,
 * in time, within the output limit), else says what went wrong and the fix.
 */
public record SkillRun(String skill, String script, int exitCode, String stdout, String stderr, long durationMs,
                       boolean timedOut, boolean truncated, String error) {
    public boolean ok() {
        return error == null;
    }
}
