package dev.steward.router;

import java.util.Locale;

/**
 * A model the router may send a call to, with what routing needs to know about it.
 *
 * @param tier          free text such as local-fast, local-smart or cloud
 * @param inputPrice    dollars per million input tokens
 * @param outputPrice   dollars per million output tokens
 * @param contextLength tokens the model accepts in all; 0 when unknown
 */
public record Route(String provider, String model, Locality locality, String tier, double inputPrice,
                    double outputPrice, int contextLength, ChatModel chatModel) {

    /** The name clients use: {@code provider/model}. */
    public String id() {
        return provider + "/" + model;
    }

    public boolean priced() {
        return inputPrice > 0 || outputPrice > 0;
    }

    /** Dollars per million tokens times tokens is micro-dollars: exact, with no rounding until here. */
    public long costMicros(Usage usage) {
        return Math.round(usage.inputTokens() * inputPrice + usage.outputTokens() * outputPrice);
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
