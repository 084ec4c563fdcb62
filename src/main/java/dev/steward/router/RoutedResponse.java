package dev.steward.router;

import java.util.List;

/**
 * A model's answer with what the router did to get it.
 *
 * @param reason       why this model was chosen
 * @param fallbackPath what failed or was skipped before it, or null when the first choice answered
 * @param notices      things the caller should surface: budget alerts, fallbacks for budget reasons
 * @param ttftMillis   time to the first streamed chunk, or null
 */
public record RoutedResponse(ChatResponse response, String provider, String model, String reason,
                             long costMicros, long latencyMs, Locality locality, boolean cacheHit,
                             String fallbackPath, List<String> notices, Long ttftMillis) {

    public RoutedResponse {
        notices = notices == null ? List.of() : List.copyOf(notices);
    }
}
