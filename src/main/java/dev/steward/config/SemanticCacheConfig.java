package dev.steward.config;

import java.util.List;

/**
 * The semantic answer cache: a deterministic question close enough in meaning to one answered before, asked in the
 * same context, gets the earlier answer. Off unless routes are named.
 *
 * @param routes         the routes (model names as callers send them: {@code openai/gpt-4o-mini}, {@code steward/auto})
 *                       whose answers may be reused; empty: none (the default)
 * @param similarity     the cosine between the questions' embeddings at or above which an answer is reused
 *                       (default 0.97, chosen on the paraphrase set in docs/benchmarks.md)
 * @param ttlSeconds     how long an answer stays (default one hour)
 * @param shared         share answers between users (default: each user has their own)
 * @param readOnlyTools  tools without side effects: a request offering any other tool is never answered from the cache
 */
public record SemanticCacheConfig(List<String> routes, Double similarity, Integer ttlSeconds, Boolean shared,
                                  List<String> readOnlyTools) {
    public SemanticCacheConfig {
        routes = routes == null ? List.of() : List.copyOf(routes);
        similarity = similarity == null ? 0.97 : similarity;
        ttlSeconds = ttlSeconds == null ? 3600 : ttlSeconds;
        shared = shared != null && shared;
        readOnlyTools = readOnlyTools == null ? List.of() : List.copyOf(readOnlyTools);
        if (similarity <= 0 || similarity > 1) {
            throw new IllegalArgumentException("cache.semantic.similarity must be above 0 and at most 1 (a cosine),"
                    + " not " + similarity + "; 0.97 is the default");
        }
    }

    public static SemanticCacheConfig defaults() {
        return new SemanticCacheConfig(null, null, null, null, null);
    }

    public boolean enabled() {
        return !routes.isEmpty();
    }
}
