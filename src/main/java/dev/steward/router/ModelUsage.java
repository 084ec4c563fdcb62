package dev.steward.router;

/** Calls, tokens, cost and latency of one model over a period. */
public record ModelUsage(String provider, String model, long calls, long errors, long tokensIn, long tokensOut,
                         long costMicros, long avgLatencyMs) {}
