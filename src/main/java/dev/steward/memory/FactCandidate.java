package dev.steward.memory;

/**
 * A fact read from what the user said, not yet stored.
 *
 * @param confidence 0.9 when stated outright, 0.6 when only implied
 * @param update     said as a change ("now", "new", "has replaced"): it closes the current version instead of being
 *                   flagged as a contradiction
 */
public record FactCandidate(String subject, String attribute, String value, Category category, double confidence,
                            boolean update) {
    public static final double STATED = 0.9;
    public static final double IMPLIED = 0.6;
}
