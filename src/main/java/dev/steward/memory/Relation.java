package dev.steward.memory;

/**
 * How two entities stand to each other: works_for, manages, member_of, owned_by, uses.
 */
public record Relation(String id, String userId, String fromEntity, String relation, String toEntity,
                       long validFrom, Long validTo, long createdAt) {}
