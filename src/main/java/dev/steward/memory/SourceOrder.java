package dev.steward.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts first, in each memory a search found, the source the search most likely matched. A memory built from several
 * turns (a turn with its neighbours) cites them all, and the answer may be in any of them; the turn the best few
 * memories have in common is usually the one that matched (a reply that repeats the question's words makes two
 * windows around the same turn score high). So each source weighs the summed scores of the best {@value #BEST} hits
 * that cite it; sources none of them cites keep their stored order, after the others. On LoCoMo this lists an
 * evidence turn first a third more often than the spoken order does (docs/benchmarks.md).
 */
final class SourceOrder {
    static final int BEST = 3;

    private SourceOrder() {}

    /** The hits, best first, each with its sources ordered by weight (ties keep the stored order). */
    static List<MemoryHit> apply(List<MemoryHit> hits) {
        Map<String, Double> weight = new HashMap<>();
        for (MemoryHit hit : hits.subList(0, Math.min(BEST, hits.size()))) {
            hit.document().sourceRefs().forEach(ref -> weight.merge(ref, hit.score(), Double::sum));
        }
        List<MemoryHit> ordered = new ArrayList<>(hits.size());
        for (MemoryHit hit : hits) {
            List<String> sources = new ArrayList<>(hit.document().sourceRefs());
            sources.sort(Comparator.comparingDouble((String ref) -> weight.getOrDefault(ref, 0.0)).reversed());
            ordered.add(new MemoryHit(hit.document(), hit.score(), sources));
        }
        return List.copyOf(ordered);
    }
}
