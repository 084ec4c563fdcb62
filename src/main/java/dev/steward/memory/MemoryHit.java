package dev.steward.memory;

import java.util.List;

/**
 * A memory a search found, with its score (higher is better; comparable within one search only).
 *
 * @param sources the memory's source references, the ones this search most likely matched first (see
 *                {@link SourceOrder}); the stored order when the search does not rank them
 */
public record MemoryHit(MemoryDocument document, double score, List<String> sources) {
    public MemoryHit {
        sources = List.copyOf(sources);
    }

    /** A hit that lists its sources in their stored order. */
    public MemoryHit(MemoryDocument document, double score) {
        this(document, score, document.sourceRefs());
    }
}
