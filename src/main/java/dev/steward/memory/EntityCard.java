package dev.steward.memory;

import java.util.List;

/**
 * One entity as the user sees it: what it is, its attributes (email, phone, role…), how it stands to other
 * entities, the facts all that comes from, and the history (earlier versions, ended relations).
 */
public record EntityCard(Entity entity, List<Attribute> attributes, List<Link> relations, List<Fact> facts,
                         List<Fact> history, List<Link> endedRelations) {

    /** An attribute and the fact that says it. */
    public record Attribute(String name, String value, String factId) {}

    /**
     * A relation seen from this entity: {@code outgoing} "Alice works_at Acme Corp", else "Bob reports_to Alice"
     * seen from Alice.
     */
    public record Link(String relation, String detail, String other, String otherId, boolean outgoing, long validFrom,
                       Long validTo) {
        /** The relation as a phrase from this entity's side: "works_at Acme Corp", "reports_to ← Bob". */
        public String phrase() {
            String what = relation + (detail == null ? "" : " (" + detail + ")");
            return outgoing ? what + " " + other : other + " " + what + " this";
        }
    }
}
