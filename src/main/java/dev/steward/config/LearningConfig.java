package dev.steward.config;

import java.util.List;
import java.util.Locale;

/**
 * The learning loop ({@code learning:} in steward.yaml).
 *
 * @param analyzeEveryHours how often {@code steward serve} analyses the history (0: only when asked)
 * @param windowDays        how far back an analysis reads
 * @param minFailures       failed calls of one model that make a routing proposal (when they are half its calls)
 * @param autoApply         kinds of proposal applied without asking (opt-in; only low-risk kinds: preference)
 */
public record LearningConfig(Integer analyzeEveryHours, Integer windowDays, Integer minFailures, List<String> autoApply) {
    /** The kinds a user may let Steward apply on its own: they change how answers read, never where data goes. */
    public static final List<String> LOW_RISK = List.of("preference");

    public LearningConfig {
        analyzeEveryHours = analyzeEveryHours == null ? 6 : analyzeEveryHours;
        windowDays = windowDays == null ? 7 : windowDays;
        minFailures = minFailures == null ? 5 : minFailures;
        autoApply = autoApply == null ? List.of() : autoApply.stream().map(k -> k.strip().toLowerCase(Locale.ROOT)).toList();
        if (analyzeEveryHours < 0 || windowDays < 1 || minFailures < 1) {
            throw new IllegalArgumentException("learning: analyze_every_hours must be 0 or more, window_days and "
                    + "min_failures 1 or more");
        }
        for (String kind : autoApply) {
            if (!LOW_RISK.contains(kind)) {
                throw new IllegalArgumentException("learning.auto_apply: \"" + kind + "\" cannot be applied without "
                        + "a person; only " + LOW_RISK + " may");
            }
        }
    }

    public static LearningConfig defaults() {
        return new LearningConfig(null, null, null, null);
    }
}
