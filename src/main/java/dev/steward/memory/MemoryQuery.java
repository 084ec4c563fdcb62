package dev.steward.memory;

import java.util.Set;

/**
 * A search of one user's memories. Never crosses users.
 *
 * @param categories only these categories (empty: all)
 * @param kinds      only these kinds (empty: all)
 * @param fromMillis only memories at or after this time, or null
 * @param toMillis   only memories before this time, or null
 */
public record MemoryQuery(String userId, String text, int k, Set<String> categories, Set<String> kinds,
                          Long fromMillis, Long toMillis) {
    public MemoryQuery {
        categories = categories == null ? Set.of() : Set.copyOf(categories);
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
    }

    public static MemoryQuery of(String userId, String text, int k) {
        return new MemoryQuery(userId, text, k, Set.of(), Set.of(), null, null);
    }
}
