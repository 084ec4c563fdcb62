package dev.steward.memory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The words of a query that carry meaning: lower case, no stop words, no punctuation. */
public final class Terms {
    private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for",
            "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "what", "who",
            "whom", "which", "when", "where", "why", "how", "do", "does", "did", "you", "your", "yours", "i", "me",
            "my", "mine", "we", "us", "our", "ours", "know", "about", "tell", "anything", "everything", "all",
            "please", "can", "could", "would", "should", "will", "with", "from", "by", "as", "there", "have", "has",
            "had", "any", "some", "remember", "forget", "said", "say", "s", "now");

    private Terms() {}

    public static List<String> of(String text) {
        Set<String> terms = new LinkedHashSet<>();
        if (text != null) {
            for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}@._-]+")) {
                String w = word.replaceAll("^[._-]+|[._-]+$", "").replaceAll("'s$", "");
                if (!w.isEmpty() && !STOP.contains(w)) {
                    terms.add(w);
                }
            }
        }
        return List.copyOf(terms);
    }

    /** Whether the text holds every one of the terms (as a part of a word, like SQL LIKE). */
    public static boolean containsAll(String text, List<String> terms) {
        String lower = text.toLowerCase(Locale.ROOT);
        return !terms.isEmpty() && terms.stream().allMatch(lower::contains);
    }
}
