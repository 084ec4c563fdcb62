package dev.steward.router;

/** A model's answer with what the router did to get it: which model, why, and what it cost. */
public record RoutedResponse(ChatResponse response, String provider, String model, String reason,
                             long costMicros, long latencyMs) {}
