package dev.steward.rollout;

/**
 * What was said of one arm's answers: the Supervisor's verdicts on steps it answered, and users' thumbs on tasks it
 * answered. Shadow answers go to nobody, so only canary and ramp answers are judged.
 */
public record Judgements(long verdicts, long passes, long ratings, long ups) {
    public static final Judgements NONE = new Judgements(0, 0, 0, 0);

    /** Share of verdicts that passed (0..1); 0 with none. */
    public double passRate() {
        return verdicts == 0 ? 0 : (double) passes / verdicts;
    }

    /** Share of ratings that were thumbs up (0..1); 0 with none. */
    public double upRate() {
        return ratings == 0 ? 0 : (double) ups / ratings;
    }
}
