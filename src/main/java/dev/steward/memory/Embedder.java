package dev.steward.memory;

import java.util.List;

/**
 * Turns text into a vector for semantic search. The production embedder is all-MiniLM-L6-v2 running in-process
 * ({@link #miniLm()}), loaded on first use; tests that do not need meaning can use {@link #hashing(int)}.
 * Implementations are thread-safe and return unit-length vectors of {@link #dimension()} floats.
 */
public interface Embedder {

    int dimension();

    float[] embed(String text);

    default List<float[]> embedAll(List<String> texts) {
        return texts.stream().map(this::embed).toList();
    }

    /** all-MiniLM-L6-v2 (384 dimensions), bundled in a Maven artifact; the model loads on the first call. */
    static Embedder miniLm() {
        return new MiniLmEmbedder();
    }

    /** A fast, meaning-blind embedder (hashed words): for tests of everything but semantics. */
    static Embedder hashing(int dimension) {
        return new HashingEmbedder(dimension);
    }
}
