package dev.steward.rollout;

import dev.steward.router.ChatResponse;
import dev.steward.router.ToolCall;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How far a shadow answer agrees with the baseline's, from 0 to 1: for tool calls, whether the same tools were asked
 * for; for text, the overlap of their words (Jaccard). Rough on purpose: it flags a candidate that answers something
 * else, not one that words the same answer differently.
 */
final class Agreement {
    private Agreement() {}

    static double of(ChatResponse baseline, ChatResponse candidate) {
        if (baseline.wantsTools() || candidate.wantsTools()) {
            return tools(baseline).equals(tools(candidate)) ? 1.0 : 0.0;
        }
        Set<String> a = words(baseline.text());
        Set<String> b = words(candidate.text());
        if (a.isEmpty() && b.isEmpty()) {
            return 1.0;
        }
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        Set<String> either = new HashSet<>(a);
        either.addAll(b);
        return (double) both.size() / either.size();
    }

    private static Set<String> tools(ChatResponse response) {
        Set<String> names = new HashSet<>();
        response.toolCalls().stream().map(ToolCall::name).forEach(names::add);
        return names;
    }

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }
}
