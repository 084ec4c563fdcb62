package dev.steward.memory;

import dev.steward.support.Ids;
import dev.steward.support.PrivacyFilter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How fact candidates become facts: each is checked (blank, sensitive, blocked category), compared with what is
 * known of its subject's attribute, and then restated, added, replacing the current value, or flagged as a
 * contradiction; a stored fact is mirrored into the search and linked to its entities.
 */
final class FactLearner {
    /** Attributes that hold many values at once: a new one adds, it does not contradict. */
    static final Set<String> MULTI_VALUED = Set.of("note", "prefers", "uses", "working on", "likes", "leads",
            "sells", "customer", "client", "supplier", "vendor", "partner", "investor");

    private final MemoryStore store;
    private final MemorySearch search;
    private final PrivacyFilter privacy;
    private final EntityLinker linker;
    private final Clock clock;

    FactLearner(MemoryStore store, MemorySearch search, PrivacyFilter privacy, EntityLinker linker, Clock clock) {
        this.store = store;
        this.search = search;
        this.privacy = privacy;
        this.linker = linker;
        this.clock = clock;
    }

    /**
     * Applies the candidates in order.
     *
     * @param leftOut what the privacy filter already cut from the text they were read from
     */
    Memory.Learned apply(String userId, List<FactCandidate> candidates, String source, String ref,
                         MemorySettings settings, Set<String> leftOut) {
        Accumulator acc = new Accumulator(new LinkedHashSet<>(leftOut));
        for (FactCandidate c : candidates) {
            apply(userId, c, source, ref, settings, acc);
        }
        return acc.learned();
    }

    /** Applies one candidate the user stated outright (a form, an accepted contradiction), under their settings. */
    Memory.Learned state(String userId, FactCandidate stated) {
        return apply(userId, List.of(stated), Memory.SOURCE_MESSAGE, null, store.settings(userId), Set.of());
    }

    private static final class Accumulator {
        final List<Fact> stored = new ArrayList<>();
        final List<Fact> replaced = new ArrayList<>();
        final List<Fact> restated = new ArrayList<>();
        final List<Contradiction> contradictions = new ArrayList<>();
        final Set<Category> blocked = new LinkedHashSet<>();
        final Set<String> leftOut;

        Accumulator(Set<String> leftOut) {
            this.leftOut = leftOut;
        }

        Memory.Learned learned() {
            return new Memory.Learned(stored, replaced, restated, contradictions, leftOut, blocked, false);
        }
    }

    private void apply(String userId, FactCandidate c, String source, String ref, MemorySettings settings,
                       Accumulator acc) {
        if (c.value().isBlank() || c.attribute().isBlank()) {
            return;
        }
        Set<String> sensitive = privacy.sensitive(c.value());
        if (!sensitive.isEmpty()) {
            acc.leftOut.addAll(sensitive);
            return;
        }
        if (settings.blockedCategories().contains(c.category())) {
            acc.blocked.add(c.category());
            return;
        }
        long now = clock.millis();
        List<Fact> current = store.versions(userId, c.subject(), c.attribute()).stream().filter(Fact::current).toList();
        Optional<Fact> same = current.stream().filter(f -> f.value().equalsIgnoreCase(c.value())).findFirst();
        if (same.isPresent()) {
            store.restate(same.get(), Math.max(same.get().confidence(), c.confidence()), now);
            acc.restated.add(same.get());
            return;
        }
        Fact fresh = new Fact(Ids.next(), userId, c.subject(), c.attribute(), c.value(), c.category(), c.confidence(),
                source, ref, now, null, null, now, now, 0);
        if (current.isEmpty() || MULTI_VALUED.contains(MemoryStore.key(c.attribute()))) {
            store.insertFact(fresh);
            search.upsert(MemoryDocuments.of(fresh));
        } else if (c.update()) {
            acc.replaced.add(replace(userId, current.get(0), fresh, now));
        } else {
            acc.contradictions.add(contradiction(userId, current.get(0), fresh, now));
            return;
        }
        acc.stored.add(fresh);
        linker.link(userId, fresh);
    }

    /**
     * Closes the current version in favour of the fresh one, and settles the contradictions pending on it: the one
     * that proposed this value is accepted, the others are rejected. Returns the closed version.
     */
    private Fact replace(String userId, Fact old, Fact fresh, long now) {
        Fact closed = old.closed(now, fresh.id());
        store.replaceFact(closed, fresh);
        linker.unlink(userId, closed);
        search.upsert(MemoryDocuments.of(closed));
        search.upsert(MemoryDocuments.of(fresh));
        for (Contradiction pending : store.contradictions(userId, true)) {
            if (pending.factId().equals(old.id())) {
                store.resolveContradiction(userId, pending.id(),
                        pending.value().equalsIgnoreCase(fresh.value()) ? Contradiction.ACCEPTED
                                : Contradiction.REJECTED, now);
            }
        }
        return closed;
    }

    /** The contradiction between the current value and a proposed one: the pending one if it was said before. */
    private Contradiction contradiction(String userId, Fact old, Fact proposed, long now) {
        Optional<Contradiction> known = store.contradictions(userId, true).stream()
                .filter(p -> p.factId().equals(old.id()) && p.value().equalsIgnoreCase(proposed.value())).findFirst();
        return known.orElseGet(() -> {
            String statement = "I have \"" + old.statement() + "\", and now you said \"" + proposed.statement()
                    + "\".";
            Contradiction added = new Contradiction(Ids.next(), userId, old.id(), proposed.subject(),
                    proposed.attribute(), proposed.value(), proposed.category(), proposed.confidence(), statement,
                    Contradiction.PENDING, now, null);
            store.insertContradiction(added);
            return added;
        });
    }
}
