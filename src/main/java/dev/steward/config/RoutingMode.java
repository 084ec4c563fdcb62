package dev.steward.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** How model calls are routed: see docs/configuration.md. */
public enum RoutingMode {
    /** Only the built-in offline model. */
    OFFLINE,
    /** Local models (Ollama, vLLM, ...), then offline. */
    LOCAL,
    /** Cloud models, then local, then offline. */
    CLOUD,
    /** The best available: cloud if keyed, else local, else offline. */
    AUTO,
    /** Local for simple work, cloud for complex or critical work, with fallback. */
    HYBRID;

    @JsonValue
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
