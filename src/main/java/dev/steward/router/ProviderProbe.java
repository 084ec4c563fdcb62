package dev.steward.router;

import java.time.Duration;
import java.util.List;

/**
 * What a quick look at a provider found, for {@code steward models} and {@code steward doctor}: whether it
 * answered, how fast, which models it lists, or what went wrong.
 *
 * @param reachable the provider answered over HTTP (perhaps only to refuse, as with a wrong API key)
 * @param latency   how long the model list took, or null if nothing answered
 * @param error     null when the models were listed; otherwise a readable reason naming the provider
 * @param kind      null when the models were listed; otherwise what kind of failure it was
 */
public record ProviderProbe(String provider, String baseUrl, boolean reachable, Duration latency, List<String> models,
                            String error, ModelException.Kind kind) {

    public ProviderProbe {
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** Reachable, and it listed its models. */
    public boolean ok() {
        return reachable && error == null;
    }

    public int modelCount() {
        return models.size();
    }
}
