package dev.steward.config;

import java.util.List;
import java.util.Locale;

/**
 * The browser tools ({@code browser:} in steward.yaml). Private and loopback addresses follow {@code actions.http}
 * (the same rules as http.fetch).
 *
 * @param allowedDomains   when not empty, the only domains pages may come from (a domain includes its subdomains)
 * @param blockedDomains   domains never opened, even when allowed
 * @param executable       the Chromium to drive (default /usr/bin/chromium; Steward never downloads a browser)
 * @param node             the Node.js that runs Playwright's driver (default: {@code node} on the PATH)
 * @param timeoutSeconds   the longest a page may take to load, or an action to find its element (default 20)
 * @param maxDownloadBytes the largest download kept in the workspace (default 20 MB)
 * @param maxTextChars     the most page text a tool returns (default 20000)
 */
public record BrowserConfig(List<String> allowedDomains, List<String> blockedDomains, String executable, String node,
                            Integer timeoutSeconds, Integer maxDownloadBytes, Integer maxTextChars) {
    public BrowserConfig {
        allowedDomains = domains(allowedDomains);
        blockedDomains = domains(blockedDomains);
        executable = executable == null || executable.isBlank() ? "/usr/bin/chromium" : executable.strip();
        node = node == null || node.isBlank() ? "node" : node.strip();
        timeoutSeconds = timeoutSeconds == null ? 20 : timeoutSeconds;
        maxDownloadBytes = maxDownloadBytes == null ? 20_000_000 : maxDownloadBytes;
        maxTextChars = maxTextChars == null ? 20_000 : maxTextChars;
        if (timeoutSeconds < 1) {
            throw new IllegalArgumentException("browser.timeout_seconds must be at least 1, not " + timeoutSeconds);
        }
    }

    public static BrowserConfig defaults() {
        return new BrowserConfig(null, null, null, null, null, null, null);
    }

    private static List<String> domains(List<String> names) {
        return names == null ? List.of() : names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT))
                .map(n -> n.startsWith("*.") ? n.substring(2) : n).filter(n -> !n.isEmpty()).toList();
    }
}
