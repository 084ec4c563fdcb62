package dev.steward.memory;

/**
 * How two entities stand to each other: works_at, role_at (its {@code detail} the role: "CFO"), reports_to, leads,
 * customer_of, supplier_of, partner_of, uses, located_in, sells, works_on.
 */
public record Relation(String id, String userId, String fromEntity, String relation, String toEntity,
                       long validFrom, Long validTo, long createdAt, String detail) {
    public boolean current() {
        return validTo == null;
    }
}
