package dev.steward.research;

import dev.steward.memory.Terms;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The extractive reader: sources cut into sentences, and the sentences that best answer a sub-question found by
 * the question's words they hold, rarer words counting more (idf), shorter sentences preferred a little.
 */
final class Passages {
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\\d\"'(])|\\n+");
    static final int MIN_CHARS = 25;
    static final int MAX_CHARS = 400;

    /** A sentence of a source. */
    record Passage(int source, String text, Set<String> terms) {}

    private final List<Passage> passages = new ArrayList<>();
    private final Map<String, Integer> documentFrequency = new HashMap<>();

    Passages(List<Source> sources) {
        for (Source source : sources) {
            for (String sentence : SENTENCE_END.split(source.text())) {
                String text = sentence.strip();
                if (text.length() >= MIN_CHARS && text.length() <= MAX_CHARS) {
                    Set<String> terms = stems(text);
                    passages.add(new Passage(source.n(), text, terms));
                    terms.forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
                }
            }
        }
    }

    /** The best {@code k} passages for the question that share at least one of its words, skipping {@code used}. */
    List<Passage> best(String question, int k, Set<String> used) {
        Set<String> wanted = stems(question);
        return passages.stream().filter(p -> !used.contains(p.text()))
                .map(p -> Map.entry(p, score(p, wanted)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<Passage, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(k).map(Map.Entry::getKey).toList();
    }

    private double score(Passage passage, Set<String> wanted) {
        double score = 0;
        for (String term : wanted) {
            if (passage.terms().contains(term)) {
                score += Math.log(1 + (double) passages.size() / documentFrequency.getOrDefault(term, 1));
            }
        }
        return score / Math.sqrt(Math.max(8, passage.terms().size()) / 8.0);
    }

    /** Words without their plural or possessive ending, so "factories" meets "factory" and "staff's" meets "staff". */
    static Set<String> stems(String text) {
        Set<String> stems = new HashSet<>();
        for (String term : Terms.of(text)) {
            String t = term.replaceAll("[._-]+$", "");
            if (t.endsWith("ies") && t.length() > 4) {
                t = t.substring(0, t.length() - 3) + "y";
            } else if (t.endsWith("s") && !t.endsWith("ss") && t.length() > 3) {
                t = t.substring(0, t.length() - 1);
            }
            stems.add(t);
        }
        return stems;
    }
}
