package dev.steward.research;

import java.util.List;

/**
 * What to research.
 *
 * @param question the question, as the user asked it
 * @param sources  URLs to read (at least one unless a search provider is configured)
 * @param out      where in the workspace to save the report; null for {@code research/<slug>.md}
 * @param depth    1 reads the sources; 2 also reads up to {@link #LINKS_PER_SOURCE} links of each to the same site
 */
public record ResearchRequest(String question, List<String> sources, String out, int depth) {
    public static final int LINKS_PER_SOURCE = 5;

    public ResearchRequest {
        if (question == null || question.isBlank()) {
            throw new IllegalArgumentException("the question is empty: steward research \"QUESTION\" --sources URL,…");
        }
        question = question.strip();
        sources = sources == null ? List.of() : sources.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (depth < 1 || depth > 3) {
            throw new IllegalArgumentException("--depth must be 1, 2 or 3, not " + depth);
        }
    }
}
