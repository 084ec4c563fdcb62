package dev.steward.config;

import java.util.List;

/**
 * One model provider. {@code apiKey} may be a literal or {@code ${ENV_VAR}}; {@code source} says where the entry
 * came from (the file, or an environment convention such as OPENAI_API_KEY) so that errors and
 * {@code config show} can name it.
 */
public record ProviderConfig(
        String name,
        ProviderKind kind,
        String baseUrl,
        String apiKey,
        List<ModelConfig> models,
        String source) {

    public ProviderConfig {
        models = models == null ? List.of() : List.copyOf(models);
        source = source == null ? "steward.yaml" : source;
    }

    public ProviderConfig withSource(String newSource) {
        return new ProviderConfig(name, kind, baseUrl, apiKey, models, newSource);
    }
}
