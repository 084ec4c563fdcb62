package dev.steward.config;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Memory: how facts are learned from conversation.
 *
 * @param extractor patterns (default: explicit statements, offline, free) or model (a model call per exchange
 *                  through the router, falling back to the patterns when no model answers)
 */
public record MemoryConfig(Extractor extractor) {
    public enum Extractor {
        PATTERNS,
        MODEL;

        @JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public MemoryConfig {
        extractor = extractor == null ? Extractor.PATTERNS : extractor;
    }

    public static MemoryConfig defaults() {
        return new MemoryConfig(null);
    }
}
