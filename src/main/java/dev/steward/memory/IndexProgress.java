package dev.steward.memory;

/**
 * Told while the search index is built from the database (a new index, a new node, or one too far behind the
 * cluster's feed): how many memories of how many are written so far. Called on the building thread, at the start
 * (0 of n) and after each batch.
 */
@FunctionalInterface
public interface IndexProgress {
    void indexed(int done, int total);

    IndexProgress NONE = (done, total) -> { };
}
