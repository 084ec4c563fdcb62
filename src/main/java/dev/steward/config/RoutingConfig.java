package dev.steward.config;

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
 */
public record RoutingConfig(
        RoutingMode mode,
        Double hybridThreshold,
        Boolean escalateLowConfidence,
        Integer retries,
        Integer localTimeoutSeconds,
        Integer cloudTimeoutSeconds,
        String baselineModel) {

    public RoutingConfig {
        mode = mode == null ? RoutingMode.AUTO : mode;
        hybridThreshold = hybridThreshold == null ? 0.5 : hybridThreshold;
        escalateLowConfidence = escalateLowConfidence != null && escalateLowConfidence;
        retries = retries == null ? 2 : retries;
        localTimeoutSeconds = localTimeoutSeconds == null ? 120 : localTimeoutSeconds;
        cloudTimeoutSeconds = cloudTimeoutSeconds == null ? 60 : cloudTimeoutSeconds;
        baselineModel = baselineModel == null ? "" : baselineModel;
    }

    public static RoutingConfig defaults() {
        return new RoutingConfig(null, null, null, null, null, null, null);
    }

    public RoutingConfig withMode(RoutingMode newMode) {
        return new RoutingConfig(newMode, hybridThreshold, escalateLowConfidence, retries, localTimeoutSeconds,
                cloudTimeoutSeconds, baselineModel);
    }
}
