package dev.steward.integrations.browser;

import dev.steward.actions.Destinations;
import dev.steward.actions.ToolException;
import dev.steward.config.ActionsConfig;
import dev.steward.config.BrowserConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which URLs the browser may load. A page (a navigation) must be http(s), on an allowed and not blocked domain, and
 * not on a private address; a page's own requests (scripts, images, XHR) need only the last two. Verdicts are kept
 * per host for the life of one task's context, so a page with a hundred images resolves its hosts once.
 */
final class PageRules {
    private final BrowserConfig browser;
    private final ActionsConfig.Http network;
    private final Map<String, Optional<String>> addressVerdicts = new ConcurrentHashMap<>();

    PageRules(BrowserConfig browser, ActionsConfig.Http network) {
        this.browser = browser;
        this.network = network;
    }

    /** Throws a refusal naming the setting that forbids opening this URL as a page. */
    void checkPage(String url) {
        String why = refusal(url, true);
        if (why != null) {
            throw new ToolException(why);
        }
    }

    /** Why the browser may not load this URL (as a page when {@code page}), or null when it may. */
    String refusal(String url, boolean page) {
        int colon = url.indexOf(':');
        String scheme = colon < 0 ? "" : url.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            if (!page && (scheme.equals("data") || scheme.equals("blob"))) {
                return null; // an inline image of a page, never a page of its own
            }
            return "refused " + url + ": the browser opens only http and https pages (no file:, chrome:, data: or "
                    + "other schemes)";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "refused '" + url + "': not a valid URL (" + e.getReason() + ")";
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            return "refused " + url + ": the URL has no host";
        }
        if (matches(host, browser.blockedDomains())) {
            return "refused " + url + ": " + host + " is in browser.blocked_domains in steward.yaml";
        }
        if (page && !browser.allowedDomains().isEmpty() && !matches(host, browser.allowedDomains())) {
            return "refused " + url + ": " + host + " is not in browser.allowed_domains " + browser.allowedDomains()
                    + "; add it there in steward.yaml to let the browser open it";
        }
        return addressVerdicts.computeIfAbsent(host + ":" + scheme, key -> {
            try {
                Destinations.check(uri, network);
                return Optional.empty();
            } catch (ToolException e) {
                return Optional.of(e.getMessage());
            }
        }).orElse(null);
    }

    /** A domain covers itself and its subdomains: example.com covers shop.example.com, not badexample.com. */
    static boolean matches(String host, List<String> domains) {
        return domains.stream().anyMatch(d -> host.equals(d) || host.endsWith("." + d));
    }
}
