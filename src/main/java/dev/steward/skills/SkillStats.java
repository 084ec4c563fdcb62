package dev.steward.skills;

/**
 * How a skill's runs went: how many, how many ended with exit 0, the mean wall time and the last failure's error.
 */
public record SkillStats(String skill, long runs, long successes, long failures, long meanDurationMs,
                         String lastError, Long lastRunAt) {
    static SkillStats none(String skill) {
        return new SkillStats(skill, 0, 0, 0, 0, null, null);
    }

    /** Successes per run, or null before the first run. */
    public Double successRate() {
        return runs == 0 ? null : (double) successes / runs;
    }

    /** Fails more than it works, over at least two runs: the model and the UI are told so. */
    public boolean failing() {
        return runs >= 2 && successes * 2 < runs;
    }
}
