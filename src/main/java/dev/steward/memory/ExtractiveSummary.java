package dev.steward.memory;

import dev.steward.support.Text;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A summary made of the group's own sentences: each sentence scores the sum of the rarity (inverse sentence frequency
 * within the group) of its distinct meaningful words, plus a bonus for numbers and names, which are what a later
 * question asks for ("when", "who", "how much"). Greetings and thanks score nearly nothing. The best third (at least
 * one, at most {@value #MAX_LINES}) are kept, in the order they were said, each with its date and speaker.
 */
final class ExtractiveSummary implements EpisodeSummariser {
    static final ExtractiveSummary INSTANCE = new ExtractiveSummary();
    static final int MAX_LINES = 12;
    /** A sentence longer than this is cut: a pasted document is not a memory. */
    static final int MAX_SENTENCE = 300;

    private record Sentence(int order, String day, String speaker, String text, Set<String> terms, double bonus) {}

    private ExtractiveSummary() {}

    @Override
    public String summarise(String userId, List<Episode> episodes) {
        List<Sentence> sentences = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Episode e : episodes) {
            String day = Instant.ofEpochMilli(e.createdAt()).toString().substring(0, 10);
            split(e.input()).forEach(s -> add(sentences, seen, day, "you", s));
            split(e.answer()).forEach(s -> add(sentences, seen, day, "Steward", s));
        }
        Map<String, Integer> frequency = new HashMap<>();
        sentences.forEach(s -> s.terms().forEach(t -> frequency.merge(t, 1, Integer::sum)));
        int n = sentences.size();
        Comparator<Sentence> byScore = Comparator.comparingDouble((Sentence s) -> -score(s, frequency, n))
                .thenComparingInt(Sentence::order);
        int keep = Math.clamp((n + 2) / 3, Math.min(1, n), MAX_LINES);
        List<Sentence> kept = new ArrayList<>(sentences.stream().sorted(byScore).limit(keep).toList());
        kept.sort(Comparator.comparingInt(Sentence::order));
        StringBuilder body = new StringBuilder();
        for (Sentence s : kept) {
            body.append(body.isEmpty() ? "" : "\n").append("- ").append(s.day()).append(' ').append(s.speaker())
                    .append(": ").append(s.text());
        }
        return body.toString();
    }

    private static void add(List<Sentence> sentences, Set<String> seen, String day, String speaker, String text) {
        String sentence = Text.abbreviate(text.strip(), MAX_SENTENCE);
        List<String> terms = Terms.of(sentence);
        if (terms.isEmpty() || !seen.add(speaker + "\u0000" + sentence.toLowerCase(Locale.ROOT))) {
            return;
        }
        double bonus = 0;
        for (String word : sentence.split("\\s+")) {
            if (word.matches(".*\\d.*")) {
                bonus += 1.0; // dates, times, amounts, counts
            } else if (word.matches("\\p{Lu}\\p{L}+.*") && bonus < 3) {
                bonus += 0.5; // names (the first word of a sentence counts too; capped so Title Case cannot win)
            }
        }
        sentences.add(new Sentence(sentences.size(), day, speaker, sentence, new LinkedHashSet<>(terms), bonus));
    }

    private static double score(Sentence s, Map<String, Integer> frequency, int n) {
        double rarity = 0;
        for (String term : s.terms()) {
            rarity += Math.log(1.0 + (double) n / frequency.get(term));
        }
        return rarity + s.bonus();
    }

    /** Sentences: split after . ! ? and at line breaks. */
    static List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : text.split("(?<=[.!?])\\s+|\\n+")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }
}
