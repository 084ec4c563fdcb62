package dev.steward.cluster;

import dev.steward.memory.MemoryDocument;
import dev.steward.memory.MemoryHit;
import dev.steward.memory.MemoryQuery;
import dev.steward.memory.MemorySearch;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * This node's search index, kept in step with every other node's through the database: each change made here is
 * applied to the local index and appended to {@code memory_changes}; {@link #catchUp} applies what the other nodes
 * appended since the last sequence number this index saw (kept in a file beside the index). Deleting a memory also
 * blanks the text of its earlier feed rows, so that a purge leaves no copy behind in the feed.
 */
final class MemoryFeed implements MemorySearch {
    /** Feed rows older than this are deleted; an index further behind is rebuilt from the database. */
    static final long KEEP_MILLIS = 24 * 3_600_000L;
    private static final int BATCH = 500;

    private final MemorySearch local;
    private final Database database;
    private final String origin;
    private final Path seqFile;
    private final Clock clock;
    private long applied;

    private record Change(long seq, String origin, String op, String userId, String docId, String document) {}

    MemoryFeed(MemorySearch local, Database database, String origin, Path seqFile, Clock clock) {
        this.local = local;
        this.database = database;
        this.origin = origin;
        this.seqFile = seqFile;
        this.clock = clock;
    }

    /**
     * Where this index stands in the feed. True when it must be built from the database first: it is new, it never
     * followed the feed, or the feed has been trimmed past what it saw. The feed position is taken before that
     * rebuild, so that changes written meanwhile are applied again after it (applying a change twice is harmless).
     */
    synchronized boolean start(boolean indexIsNew) {
        long newest = newestSeq();
        Long saved = indexIsNew ? null : readSeqFile();
        if (saved == null || saved > newest || oldestSeq() > saved + 1) {
            applied = newest;
            writeSeqFile();
            return true;
        }
        applied = saved;
        return false;
    }

    /** Applies the other nodes' changes this index has not seen; how many it applied. */
    synchronized int catchUp() {
        int count = 0;
        while (true) {
            List<Change> changes = database.jdbi().withHandle(h -> h.createQuery("""
                            SELECT seq, origin, op, user_id, doc_id, document FROM memory_changes
                            WHERE seq > :after ORDER BY seq LIMIT :batch""")
                    .bind("after", applied).bind("batch", BATCH)
                    .map((rs, ctx) -> new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6))).list());
            if (changes.isEmpty()) {
                return count;
            }
            for (Change c : changes) {
                if (!c.origin().equals(origin)) {
                    apply(c);
                    count++;
                }
                applied = c.seq();
            }
            writeSeqFile();
        }
    }

    private void apply(Change c) {
        switch (c.op()) {
            case "upsert" -> local.upsert(Json.read(c.document(), MemoryDocument.class));
            case "delete" -> local.delete(c.userId(), c.docId());
            case "delete_all" -> local.deleteAll(c.userId());
            default -> { } // "gone": a memory deleted later; its delete follows
        }
    }

    @Override
    public void upsert(MemoryDocument document) {
        local.upsert(document);
        append(List.of(upsertOf(document)));
    }

    @Override
    public void upsertAll(List<MemoryDocument> documents) {
        local.upsertAll(documents);
        if (!documents.isEmpty()) {
            append(documents.stream().map(this::upsertOf).toList());
        }
    }

    @Override
    public void delete(String userId, String id) {
        local.delete(userId, id);
        append(List.of(new Change(0, origin, "delete", userId, id, null)));
    }

    @Override
    public void deleteAll(String userId) {
        local.deleteAll(userId);
        append(List.of(new Change(0, origin, "delete_all", userId, null, null)));
    }

    private Change upsertOf(MemoryDocument d) {
        return new Change(0, origin, "upsert", d.userId(), d.id(), Json.write(d));
    }

    /**
     * Appends changes with the next sequence numbers. The table lock makes appends take turns, so sequence numbers
     * are given in commit order and a reader that has seen N never misses a smaller one committed later.
     */
    private void append(List<Change> changes) {
        database.jdbi().useTransaction(h -> {
            h.execute("LOCK TABLE memory_changes IN EXCLUSIVE MODE");
            long seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM memory_changes").mapTo(Long.class).one();
            long now = clock.millis();
            for (Change c : changes) {
                blankEarlier(h, c);
                h.createUpdate("""
                                INSERT INTO memory_changes (seq, origin, op, user_id, doc_id, document, created_at)
                                VALUES (:seq, :origin, :op, :user, :doc, :document, :now)""")
                        .bind("seq", ++seq).bind("origin", origin).bind("op", c.op()).bind("user", c.userId())
                        .bind("doc", c.docId()).bind("document", c.document()).bind("now", now).execute();
            }
        });
    }

    /** A deleted memory's text must not outlive it in the feed; the rows stay, so sequence numbers are never reused. */
    private static void blankEarlier(Handle h, Change c) {
        if (c.op().equals("delete")) {
            h.execute("UPDATE memory_changes SET op = 'gone', document = NULL WHERE user_id = ? AND doc_id = ?"
                    + " AND op = 'upsert'", c.userId(), c.docId());
        } else if (c.op().equals("delete_all")) {
            h.execute("UPDATE memory_changes SET op = 'gone', document = NULL WHERE user_id = ? AND op = 'upsert'",
                    c.userId());
        }
    }

    /** Deletes old feed rows, always keeping the newest so that its sequence number is not given out again. */
    void trim() {
        database.jdbi().useHandle(h -> h.execute("DELETE FROM memory_changes WHERE created_at < ?"
                + " AND seq < (SELECT MAX(seq) FROM memory_changes)", clock.millis() - KEEP_MILLIS));
    }

    private long newestSeq() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(seq), 0) FROM memory_changes")
                .mapTo(Long.class).one());
    }

    private long oldestSeq() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MIN(seq), 0) FROM memory_changes")
                .mapTo(Long.class).one());
    }

    private Long readSeqFile() {
        try {
            return Files.exists(seqFile) ? Long.valueOf(Files.readString(seqFile).strip()) : null;
        } catch (IOException | NumberFormatException e) {
            return null; // unreadable: rebuild
        }
    }

    private void writeSeqFile() {
        try {
            Files.createDirectories(seqFile.getParent());
            Path temp = seqFile.resolveSibling(seqFile.getFileName() + ".tmp");
            Files.writeString(temp, Long.toString(applied));
            Files.move(temp, seqFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot save the memory feed position in " + seqFile, e);
        }
    }

    @Override
    public void expungeDeleted() {
        local.expungeDeleted();
    }

    @Override
    public List<MemoryHit> search(MemoryQuery query) {
        return local.search(query);
    }

    @Override
    public int count(String userId) {
        return local.count(userId);
    }

    @Override
    public void close() {
        local.close();
    }
}
