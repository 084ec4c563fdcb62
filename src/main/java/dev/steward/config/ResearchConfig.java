package dev.steward.config;

/**
 * The research assistant ({@code research:} in steward.yaml).
 *
 * @param searxngUrl    a SearXNG instance (its JSON format enabled) to find sources when none are given; its host
 *                      must be reachable by http.fetch (a LAN address needs {@code actions.http.allow_hosts})
 * @param searchResults results read per sub-question (default 3)
 */
public record ResearchConfig(String searxngUrl, Integer searchResults) {
    public ResearchConfig {
        searxngUrl = searxngUrl == null || searxngUrl.isBlank() ? null : searxngUrl.strip().replaceAll("/+$", "");
        searchResults = searchResults == null ? 3 : searchResults;
        if (searchResults < 1) {
            throw new IllegalArgumentException("research.search_results must be at least 1, not " + searchResults);
        }
    }

    public static ResearchConfig defaults() {
        return new ResearchConfig(null, null);
    }

    public boolean canSearch() {
        return searxngUrl != null;
    }
}
