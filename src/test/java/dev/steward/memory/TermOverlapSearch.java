package dev.steward.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A small, honest search for tests: documents in a map, ranked by how many query terms they share. */
final class TermOverlapSearch implements MemorySearch {
    final Map<String, MemoryDocument> documents = new ConcurrentHashMap<>();

    private static String key(String userId, String id) {
        return userId + "\u0000" + id;
    }

    @Override
    public void upsert(MemoryDocument document) {
        documents.put(key(document.userId(), document.id()), document);
    }

    @Override
    public void delete(String userId, String id) {
        documents.remove(key(userId, id));
    }

    @Override
    public void deleteAll(String userId) {
        documents.values().removeIf(d -> d.userId().equals(userId));
    }

    @Override
    public List<MemoryHit> search(MemoryQuery query) {
        List<String> terms = Terms.of(query.text());
        List<MemoryHit> hits = new ArrayList<>();
        for (MemoryDocument d : documents.values()) {
            if (!d.userId().equals(query.userId())
                    || (!query.kinds().isEmpty() && !query.kinds().contains(d.kind()))
                    || (!query.categories().isEmpty() && !query.categories().contains(d.category()))) {
                continue;
            }
            List<String> words = Terms.of(d.text());
            long shared = terms.stream().filter(words::contains).count();
            if (shared > 0) {
                hits.add(new MemoryHit(d, (double) shared / terms.size()));
            }
        }
        hits.sort(Comparator.comparingDouble(MemoryHit::score).reversed());
        return hits.subList(0, Math.min(query.k(), hits.size()));
    }

    @Override
    public void close() {}
}
