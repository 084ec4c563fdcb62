package dev.steward.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link EntityCard}s from the rows: an entity's facts, the roles facts about "us" give it, its relations. */
final class EntityCards {
    private final MemoryStore store;

    EntityCards(MemoryStore store) {
        this.store = store;
    }

    List<EntityCard> all(String userId) {
        List<Entity> entities = store.entities(userId);
        List<Relation> relations = store.relations(userId);
        List<Fact> facts = store.facts(userId, true);
        return entities.stream().map(e -> card(e, entities, relations, facts)).toList();
    }

    Optional<EntityCard> find(String userId, String nameOrAlias) {
        return store.entity(userId, nameOrAlias).map(e -> card(e, store.entities(userId), store.relations(userId),
                store.facts(userId, true)));
    }

    private static EntityCard card(Entity e, List<Entity> entities, List<Relation> relations, List<Fact> facts) {
        List<String> names = new ArrayList<>(e.aliases());
        names.add(e.name());
        List<String> keys = names.stream().map(MemoryStore::key).toList();
        List<Fact> behind = new ArrayList<>();
        for (Fact f : facts) {
            boolean about = keys.contains(MemoryStore.key(f.subject()));
            boolean naming = keys.contains(MemoryStore.key(f.value()));
            if (about || naming) {
                behind.add(f);
            }
        }
        behind.sort(Comparator.comparingLong(Fact::validFrom));
        List<EntityCard.Attribute> attributes = new ArrayList<>();
        for (Fact f : behind) {
            if (!f.current()) {
                continue;
            }
            if (keys.contains(MemoryStore.key(f.subject()))) {
                attributes.add(new EntityCard.Attribute(f.attribute(), f.value(), f.id()));
            } else if (f.category() == Category.PEOPLE && MemoryStore.key(f.subject()).equals(Fact.US)) {
                attributes.add(new EntityCard.Attribute("role", f.attribute(), f.id()));
            } else if (MemoryStore.key(f.subject()).equals(Fact.USER)) {
                attributes.add(new EntityCard.Attribute("your " + f.attribute(), "yes", f.id()));
            }
        }
        Map<String, String> namesById = new LinkedHashMap<>();
        entities.forEach(other -> namesById.put(other.id(), other.name()));
        List<EntityCard.Link> current = new ArrayList<>();
        List<EntityCard.Link> ended = new ArrayList<>();
        for (Relation r : relations) {
            boolean outgoing = r.fromEntity().equals(e.id());
            if (!outgoing && !r.toEntity().equals(e.id())) {
                continue;
            }
            String otherId = outgoing ? r.toEntity() : r.fromEntity();
            EntityCard.Link link = new EntityCard.Link(r.relation(), r.detail(), namesById.getOrDefault(otherId,
                    otherId), otherId, outgoing, r.validFrom(), r.validTo());
            (r.current() ? current : ended).add(link);
        }
        return new EntityCard(e, attributes, current, behind.stream().filter(Fact::current).toList(),
                behind.stream().filter(f -> !f.current()).toList(), ended);
    }
}
