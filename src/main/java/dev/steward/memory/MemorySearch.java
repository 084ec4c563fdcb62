package dev.steward.memory;

import java.util.List;

/**
 * Finds the memories that matter for a request: the seam between what is remembered (facts, episodes) and how it
 * is found (the hybrid lexical and semantic index). Implementations keep users strictly apart.
 */
public interface MemorySearch extends AutoCloseable {

    /** Adds a memory, or replaces the one with the same id. */
    void upsert(MemoryDocument document);

    /**
     * Adds a memory that is new: its id was never written before (a fresh episode). The same as {@link #upsert}, for
     * a search that can skip looking for a memory to replace.
     */
    default void add(MemoryDocument document) {
        upsert(document);
    }

    /** Adds or replaces several memories; an implementation may do it more cheaply than one by one. */
    default void upsertAll(List<MemoryDocument> documents) {
        documents.forEach(this::upsert);
    }

    /** Forgets a memory; searches never return it again. */
    void delete(String userId, String id);

    /** Forgets every memory of a user. */
    void deleteAll(String userId);

    /**
     * Rewrites storage so that what was deleted is gone from disk, not only marked deleted (a purge asks for it);
     * a store that deletes in place has nothing to do.
     */
    default void expungeDeleted() {}

    /** The best {@code query.k()} memories of the query's user, best first. */
    List<MemoryHit> search(MemoryQuery query);

    /** How many memories of a user it holds, to check it against the store; -1 when it cannot say. */
    default int count(String userId) {
        return -1;
    }

    @Override
    void close();
}
