package dev.steward.config;

/**
 * One model a provider serves. Prices are US dollars per million tokens; {@code tier} is free text such as
 * {@code local-fast}, {@code local-smart} or {@code cloud}.
 */
public record ModelConfig(
        String name,
        String tier,
        double inputPricePerMillion,
        double outputPricePerMillion,
        int contextLength) {}
