package dev.steward.router;

import java.util.Locale;

/**
 * A model the router may send a call to, with what routing needs to know about it.
 *
 * @param tier          free text such as local-fast, local-smart or cloud
 * @param inputPrice    dollars per million input tokens
 * @param outputPrice   dollars per million output tokens
 * @param contextLength tokens the model accepts in all; 0 when unknown
 * @param cachedInputPrice dollars per million input tokens read from the provider's prompt cache
 * @param cacheWritePrice  dollars per million input tokens written to the provider's prompt cache
 */
public record Route(String provider, String model, Locality locality, String tier, double inputPrice,
                    double outputPrice, int contextLength, ChatModel chatModel, double cachedInputPrice,
                    double cacheWritePrice) {

    /** A route whose provider has no prompt-cache prices of its own: cached tokens cost what any input costs. */
    public Route(String provider, String model, Locality locality, String tier, double inputPrice, double outputPrice,
                 int contextLength, ChatModel chatModel) {
        this(provider, model, locality, tier, inputPrice, outputPrice, contextLength, chatModel, inputPrice, inputPrice);
    }

    /** The name clients use: {@code provider/model}. */
    public String id() {
        return provider + "/" + model;
    }

    public boolean priced() {
        return inputPrice > 0 || outputPrice > 0;
    }

    /**
     * Dollars per million tokens times tokens is micro-dollars: exact, with no rounding until here. Input read from or
     * written to the provider's prompt cache is priced at its cache rates.
     */
    public long costMicros(Usage usage) {
        return Math.round(usage.uncachedInputTokens() * inputPrice + usage.cacheReadTokens() * cachedInputPrice
                + usage.cacheWriteTokens() * cacheWritePrice + usage.outputTokens() * outputPrice);
    }

    /** Whether the tier names this model as the smarter (slower) of its kind. */
    boolean smart() {
        String t = tier.toLowerCase(Locale.ROOT);
        return t.contains("smart") || t.contains("large") || t.equals("cloud");
    }

    static Route offline(OfflineModel model) {
        return new Route(OfflineModel.NAME, OfflineModel.NAME, Locality.OFFLINE, "offline", 0, 0, 0, model);
    }
}
