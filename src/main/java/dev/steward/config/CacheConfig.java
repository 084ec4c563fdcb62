package dev.steward.config;

/**
 * The exact-match response cache.
 *
 * @param enabled        whether deterministic requests are answered from the cache
 * @param ttlSeconds     how long an answer stays (default one hour)
 * @param shared         share answers between users (default: each user has their own)
 * @param maxTemperature requests at or below this temperature count as deterministic (default 0)
 * @param semantic       the semantic cache (similar questions, by embedding), off by default
 */
public record CacheConfig(Boolean enabled, Integer ttlSeconds, Boolean shared, Double maxTemperature,
                          SemanticCacheConfig semantic) {
    public CacheConfig {
        enabled = enabled == null || enabled;
        ttlSeconds = ttlSeconds == null ? 3600 : ttlSeconds;
        shared = shared != null && shared;
        maxTemperature = maxTemperature == null ? 0.0 : maxTemperature;
        semantic = semantic == null ? SemanticCacheConfig.defaults() : semantic;
    }

    public CacheConfig(Boolean enabled, Integer ttlSeconds, Boolean shared, Double maxTemperature) {
        this(enabled, ttlSeconds, shared, maxTemperature, null);
    }

    public static CacheConfig defaults() {
        return new CacheConfig(null, null, null, null);
    }
}
