package dev.steward.memory;

import java.util.Locale;

/** Hashes lower-cased words into a vector: no meaning, no model, microseconds per text. */
final class HashingEmbedder implements Embedder {
    private final int dimension;

    HashingEmbedder(int dimension) {
        if (dimension < 2) {
            throw new IllegalArgumentException("dimension must be at least 2");
        }
        this.dimension = dimension;
    }

    @Override
    public String name() {
        return "hashing-" + dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[] embed(String text) {
        float[] v = new float[dimension];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                int h = word.hashCode() * 0x9E3779B9;
                v[Math.floorMod(h, dimension)] += (h & 0x10000) == 0 ? 1 : -1;
            }
        }
        v[0] += 1e-3f; // never the zero vector
        return Vectors.normalize(v);
    }
}
