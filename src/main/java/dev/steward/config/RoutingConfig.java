package dev.steward.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the router chooses and retries.
 *
 * @param mode                   offline | local | cloud | auto | hybrid
 * @param hybridThreshold        in hybrid mode, requests whose complexity score (0..1) reaches this go to the cloud
 * @param escalateLowConfidence  re-ask a cloud model when a local answer looks unsure (hedging, empty, refusal)
 * @param retries                extra tries at the same model for a retryable failure, before falling back
 * @param localTimeoutSeconds    time allowed to a local model's answer (first byte, and between stream chunks)
 * @param cloudTimeoutSeconds    the same for cloud models
 * @param baselineModel          the cloud model whose prices "saving against an all-cloud baseline" compares with;
 *                               empty: the priciest configured cloud model
 * @param aliases                named routes ({@code default}, {@code assistant}, …) and the model each points at;
 *                               callers may name an alias wherever they name a model, and {@code default} serves
 *                               calls that name none. Names are lower case; a rollout moves one alias at a time.
 */
public record RoutingConfig(
        RoutingMode mode,
        Double hybridThreshold,
        Boolean escalateLowConfidence,
        Integer retries,
        Integer localTimeoutSeconds,
        Integer cloudTimeoutSeconds,
        String baselineModel,
        Map<String, String> aliases) {

    public RoutingConfig {
        mode = mode == null ? RoutingMode.AUTO : mode;
        hybridThreshold = hybridThreshold == null ? 0.5 : hybridThreshold;
        escalateLowConfidence = escalateLowConfidence != null && escalateLowConfidence;
        retries = retries == null ? 2 : retries;
        localTimeoutSeconds = localTimeoutSeconds == null ? 120 : localTimeoutSeconds;
        cloudTimeoutSeconds = cloudTimeoutSeconds == null ? 60 : cloudTimeoutSeconds;
        baselineModel = baselineModel == null ? "" : baselineModel;
        Map<String, String> named = new LinkedHashMap<>();
        if (aliases != null) {
            aliases.forEach((alias, model) -> named.put(alias.strip().toLowerCase(Locale.ROOT),
                    model == null ? "" : model.strip()));
        }
        aliases = java.util.Collections.unmodifiableMap(named);
    }

    /** Without aliases, as before routing aliases existed. */
    public RoutingConfig(RoutingMode mode, Double hybridThreshold, Boolean escalateLowConfidence, Integer retries,
                         Integer localTimeoutSeconds, Integer cloudTimeoutSeconds, String baselineModel) {
        this(mode, hybridThreshold, escalateLowConfidence, retries, localTimeoutSeconds, cloudTimeoutSeconds,
                baselineModel, null);
    }

    public static RoutingConfig defaults() {
        return new RoutingConfig(null, null, null, null, null, null, null, null);
    }

    public RoutingConfig withMode(RoutingMode newMode) {
        return new RoutingConfig(newMode, hybridThreshold, escalateLowConfidence, retries, localTimeoutSeconds,
                cloudTimeoutSeconds, baselineModel, aliases);
    }

    /** The same settings with these aliases. */
    public RoutingConfig withAliases(Map<String, String> newAliases) {
        return new RoutingConfig(mode, hybridThreshold, escalateLowConfidence, retries, localTimeoutSeconds,
                cloudTimeoutSeconds, baselineModel, newAliases);
    }
}
