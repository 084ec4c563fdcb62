package dev.steward.config;

/** Routing settings; the router issue extends this record. */
public record RoutingConfig(RoutingMode mode) {
    public RoutingConfig {
        mode = mode == null ? RoutingMode.AUTO : mode;
    }
}
