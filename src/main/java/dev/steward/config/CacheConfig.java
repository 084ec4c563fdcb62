package dev.steward.config;

/**
 * The exact-match response cache.
 *
 * @param enabled        whether deterministic requests are answered from the cache
 * @param ttlSeconds     how long an answer stays (default one hour)
 * @param shared         share answers between users (default: each user has their own)
 * @param maxTemperature requests at or below this temperature count as deterministic (default 0)
 */
public record CacheConfig(Boolean enabled, Integer ttlSeconds, Boolean shared, Double maxTemperature) {
    public CacheConfig {
        enabled = enabled == null || enabled;
        ttlSeconds = ttlSeconds == null ? 3600 : ttlSeconds;
        shared = shared != null && shared;
        maxTemperature = maxTemperature == null ? 0.0 : maxTemperature;
    }

    public static CacheConfig defaults() {
        return new CacheConfig(null, null, null, null);
    }
}
