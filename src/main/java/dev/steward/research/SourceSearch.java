package dev.steward.research;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.config.ResearchConfig;
import dev.steward.support.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds sources when none are given: a SearXNG instance's JSON API ({@code /search?q=…&format=json}), asked through
 * the gate with http.fetch, so its host follows the same network rules and every search is in the audit log.
 */
final class SourceSearch {
    private final ResearchConfig config;
    private final ActionGate gate;
    private final ToolContext context;

    SourceSearch(ResearchConfig config, ActionGate gate, ToolContext context) {
        this.config = config;
        this.gate = gate;
        this.context = context;
    }

    /** The top {@code research.search_results} results of each query, in the engine's order, each URL once. */
    List<String> find(List<String> queries) {
        List<String> urls = new ArrayList<>();
        for (String query : queries) {
            String search = config.searxngUrl() + "/search?format=json&q="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8);
            ActionGate.Outcome outcome = gate.call("http.fetch", Json.object().put("url", search), context);
            if (!outcome.ok()) {
                throw new IllegalStateException("searching " + config.searxngUrl() + " failed: " + outcome.message()
                        + " (research.searxng_url in steward.yaml)");
            }
            JsonNode results;
            try {
                results = Json.parse(outcome.asJson().path("text").asText()).path("results");
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(config.searxngUrl() + " did not answer with JSON: enable the json "
                        + "format in its settings.yml (search: formats: [html, json])");
            }
            int rank = 0;
            for (JsonNode result : results) {
                String url = URI.create(search).resolve(result.path("url").asText("")).toString();
                if (url.startsWith("http") && rank++ < config.searchResults() && !urls.contains(url)) {
                    urls.add(url);
                }
            }
        }
        return urls;
    }
}
