package dev.steward.support;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Small text helpers shared by the command line, configuration, the gate, the agent and memory. */
public final class Text {
    private Text() {}

    /** The text itself if it has at most {@code max} characters, else its first {@code max - 1} and an ellipsis. */
    public static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /**
     * Edit distance between two words where swapping two neighbours counts as one edit (optimal string alignment),
     * ignoring case: how far a typo is from what was meant.
     */
    public static int distance(String a, String b) {
        a = a.toLowerCase(Locale.ROOT);
        b = b.toLowerCase(Locale.ROOT);
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                d[i][j] = Math.min(d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1),
                        Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** The candidate nearest to {@code word}, if it is near enough to be a likely typo of it. */
    public static Optional<String> closest(String word, Collection<String> candidates) {
        return candidates.stream()
                .min(Comparator.comparingInt(c -> distance(word, c)))
                .filter(c -> distance(word, c) <= Math.max(2, word.length() / 3));
    }
}
