package dev.steward.memory;

/**
 * One file of the knowledge base, as last read.
 *
 * @param userId     the memory space it belongs to (a user's id)
 * @param path       the file's absolute path
 * @param modifiedAt the file's modification time when read, epoch milliseconds
 * @param sha256     the digest of the file's bytes when read: a refresh re-reads only a file whose bytes changed
 * @param chunks     how many chunks it was split into
 */
public record KnowledgeDocument(String id, String userId, String path, String title, long modifiedAt, long sizeBytes,
                                String sha256, int chunks, long indexedAt) {}
