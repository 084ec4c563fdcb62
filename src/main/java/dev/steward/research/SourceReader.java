package dev.steward.research;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.support.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads the sources through the gate, so policy, allowlists, approvals and the audit log apply to research as to any
 * task: browser.open (scripts run), or http.fetch when the browser cannot start here. A second level of depth follows
 * a few links of each page to the same site.
 */
final class SourceReader {
    /** Sources read, numbered in reading order, and the URLs that could not be read with why. */
    record Read(List<Source> sources, Map<String, String> unread) {}

    private final ActionGate gate;
    private final ToolContext context;
    private boolean browserMissing;

    SourceReader(ActionGate gate, ToolContext context) {
        this.gate = gate;
        this.context = context;
    }

    Read read(List<String> urls, int depth) {
        List<Source> sources = new ArrayList<>();
        Map<String, String> unread = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        List<String> level = urls;
        for (int d = 1; d <= depth && !level.isEmpty(); d++) {
            List<String> next = new ArrayList<>();
            for (String url : level) {
                if (!seen.add(url)) {
                    continue;
                }
                JsonNode page = open(url, unread);
                if (page == null) {
                    continue;
                }
                sources.add(new Source(sources.size() + 1, title(page, url), page.path("url").asText(url),
                        page.path("text").asText("")));
                if (d < depth) {
                    next.addAll(sameSiteLinks(url, page));
                }
            }
            level = next;
        }
        return new Read(sources, unread);
    }

    private JsonNode open(String url, Map<String, String> unread) {
        if (!browserMissing) {
            ActionGate.Outcome outcome = gate.call("browser.open", Json.object().put("url", url), context);
            if (outcome.ok()) {
                return outcome.asJson();
            }
            if (!cannotStart(outcome.message())) {
                unread.put(url, outcome.message());
                return null;
            }
            browserMissing = true;
        }
        ActionGate.Outcome fetched = gate.call("http.fetch", Json.object().put("url", url), context);
        if (!fetched.ok()) {
            unread.put(url, fetched.message());
            return null;
        }
        return fetched.asJson();
    }

    /** No browser here (no tool, no Chromium, no Node): the page is still worth reading without its scripts. */
    private static boolean cannotStart(String message) {
        String m = Objects.requireNonNullElse(message, "");
        return m.startsWith("no tool named") || m.contains("browser.executable") || m.contains("browser.node")
                || m.startsWith("could not start Chromium");
    }

    private static String title(JsonNode page, String url) {
        String title = page.path("title").asText("").strip();
        return title.isEmpty() ? url : title;
    }

    private static List<String> sameSiteLinks(String url, JsonNode page) {
        String host = URI.create(url).getHost();
        List<String> links = new ArrayList<>();
        for (JsonNode element : page.path("elements")) {
            String link = element.path("url").asText("");
            if (!link.isEmpty() && links.size() < ResearchRequest.LINKS_PER_SOURCE) {
                try {
                    URI target = URI.create(link.replaceFirst("#.*$", ""));
                    if (Objects.equals(target.getHost(), host) && !links.contains(target.toString())) {
                        links.add(target.toString());
                    }
                } catch (IllegalArgumentException e) {
                    // a link the page wrote badly is not a source
                }
            }
        }
        return links;
    }
}
