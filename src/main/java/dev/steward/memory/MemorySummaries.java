package dev.steward.memory;

import dev.steward.support.PrivacyFilter;
import dev.steward.support.Text;
import java.util.ArrayList;
import java.util.List;

/** What memory says back in words: after learning something, and after a recall (the offline answer). */
final class MemorySummaries {
    /** How much of the best passage an answer quotes. */
    static final int QUOTE_CHARS = 800;

    private MemorySummaries() {}

    static String learned(Memory.Learned l) {
        if (l.disabled()) {
            return "Memory is off for you, so I did not store anything (turn it on with "
                    + "`steward memory settings --on`).";
        }
        List<String> parts = new ArrayList<>();
        for (Fact f : l.stored()) {
            if (l.replaced().stream().noneMatch(r -> f.id().equals(r.supersededBy()))) {
                parts.add("I'll remember: " + f.statement() + ".");
            }
        }
        for (Fact old : l.replaced()) {
            Fact now = l.stored().stream().filter(f -> f.id().equals(old.supersededBy())).findFirst().orElse(null);
            parts.add("Updated: " + (now == null ? "" : now.statement() + "; ") + "before, "
                    + lower(old.statement()) + ".");
        }
        for (Fact f : l.restated()) {
            parts.add("I already knew that: " + f.statement() + ".");
        }
        for (Contradiction c : l.contradictions()) {
            parts.add("That contradicts what I have: " + c.statement() + " Which is right? Say it again with "
                    + "\"now\" to update it (or `steward memory resolve " + c.id() + " new|old`).");
        }
        if (!l.blocked().isEmpty()) {
            parts.add("I did not store facts about " + String.join(", ", l.blocked().stream().map(Category::id)
                    .toList()) + ": you turned that category off.");
        }
        if (!l.leftOut().isEmpty()) {
            parts.add("I left out " + PrivacyFilter.describe(l.leftOut())
                    + ": I never store those, so nothing of it was saved.");
        }
        if (parts.isEmpty()) {
            parts.add("I did not find a fact to remember in that.");
        }
        return String.join("\n", parts);
    }

    static String recall(Memory.Recall r) {
        String about = r.query().isBlank() ? "that" : r.query().strip().replaceAll("\\?+$", "");
        boolean question = about.matches("(?i)^(who|what|where|which)\\b.*");
        if (r.isEmpty()) {
            return question ? "I don't know that yet. Tell me with \"remember that …\"."
                    : "I don't know anything about " + about + " yet. Tell me with \"remember that …\".";
        }
        StringBuilder text = new StringBuilder();
        if (!r.current().isEmpty() || !r.history().isEmpty()) {
            text.append(question ? "From what you told me:" : "Here is what I know about " + about + ":");
            r.current().forEach(f -> text.append("\n• ").append(f.statement()).append('.'));
            if (!r.history().isEmpty()) {
                text.append("\nHistory:");
                r.history().forEach(f -> text.append("\n• ").append(f.statement()).append('.'));
            }
            if (!r.passages().isEmpty()) {
                text.append("\nSee also your documents: ").append(String.join("; ", r.passages().stream()
                        .map(Passage::citation).toList())).append('.');
            }
        } else if (!r.passages().isEmpty()) { // the best passage, quoted with its source
            Passage best = r.passages().getFirst();
            text.append("From your documents, ").append(best.citation()).append(" (").append(best.path()).append("):\n")
                    .append(Text.abbreviate(best.text().strip(), QUOTE_CHARS));
            if (r.passages().size() > 1) {
                text.append("\nAlso: ").append(String.join("; ", r.passages().stream().skip(1)
                        .map(Passage::citation).toList())).append('.');
            }
        } else {
            text.append("I have no facts about ").append(about).append(", but we talked about it:");
            r.episodes().stream().limit(3).forEach(e -> text.append("\n• ")
                    .append(e.input().replaceAll("\\s+", " ")));
        }
        return text.toString();
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
