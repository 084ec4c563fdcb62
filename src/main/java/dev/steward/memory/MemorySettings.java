package dev.steward.memory;

import java.util.Set;

/**
 * What a user lets Steward remember.
 *
 * @param enabled           false: nothing new is stored and nothing is recalled into context
 * @param blockedCategories facts of these categories are never stored
 * @param expiryDays        facts not used for this many days are forgotten (0: never)
 */
public record MemorySettings(String userId, boolean enabled, Set<Category> blockedCategories, int expiryDays) {
    public static final int DEFAULT_EXPIRY_DAYS = 180;

    public MemorySettings {
        blockedCategories = blockedCategories == null ? Set.of() : Set.copyOf(blockedCategories);
    }

    public static MemorySettings defaults(String userId) {
        return new MemorySettings(userId, true, Set.of(), DEFAULT_EXPIRY_DAYS);
    }
}
