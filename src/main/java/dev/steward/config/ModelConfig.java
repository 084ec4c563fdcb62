package dev.steward.config;

import java.util.List;

/**
 * One model a provider serves. Prices are US dollars per million tokens; {@code tier} is free text such as
 * {@code local-fast}, {@code local-smart} or {@code cloud} (empty: decided by where the provider runs);
 * {@code capabilities} such as {@code tools}, {@code json}, {@code vision}.
 */
public record ModelConfig(
        String name,
        String tier,
        double inputPricePerMillion,
        double outputPricePerMillion,
        int contextLength,
        List<String> capabilities) {

    public ModelConfig {
        tier = tier == null ? "" : tier;
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
}
