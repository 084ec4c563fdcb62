package dev.steward.memory;

import dev.steward.store.Database;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The rows of the knowledge base: documents and their chunks. Every query names its memory space. */
final class KnowledgeStore {
    private final Database database;

    KnowledgeStore(Database database) {
        this.database = database;
    }

    List<KnowledgeDocument> documents(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM knowledge_documents"
                + " WHERE user_id = :user ORDER BY path").bind("user", userId).map((rs, ctx) -> document(rs)).list());
    }

    Optional<KnowledgeDocument> document(String userId, String path) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM knowledge_documents"
                        + " WHERE user_id = :user AND path = :path").bind("user", userId).bind("path", path)
                .map((rs, ctx) -> document(rs)).findOne());
    }

    /** Replaces a document's row and all its chunks in one transaction. */
    void put(KnowledgeDocument document, List<KnowledgeChunks.Chunk> chunks) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM knowledge_chunks WHERE document_id = :id").bind("id", document.id()).execute();
            h.createUpdate("DELETE FROM knowledge_documents WHERE id = :id").bind("id", document.id()).execute();
            h.createUpdate("""
                            INSERT INTO knowledge_documents (id, user_id, path, title, modified_at, size_bytes, sha256,
                                chunks, indexed_at)
                            VALUES (:id, :userId, :path, :title, :modifiedAt, :sizeBytes, :sha256, :chunks, :indexedAt)
                            """).bindMethods(document).execute();
            var batch = h.prepareBatch("INSERT INTO knowledge_chunks (id, document_id, user_id, position, section, body)"
                    + " VALUES (:id, :document, :user, :position, :section, :body)");
            for (KnowledgeChunks.Chunk c : chunks) {
                batch.bind("id", chunkId(document.id(), c.position())).bind("document", document.id())
                        .bind("user", document.userId()).bind("position", c.position())
                        .bind("section", clip(c.section(), 500)).bind("body", c.body()).add();
            }
            if (!chunks.isEmpty()) {
                batch.execute();
            }
        });
    }

    /** A file whose bytes did not change but whose time did: only the time is new. */
    void touch(String documentId, long modifiedAt) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE knowledge_documents SET modified_at = :at WHERE id = :id")
                .bind("at", modifiedAt).bind("id", documentId).execute());
    }

    void delete(String documentId) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM knowledge_chunks WHERE document_id = :id").bind("id", documentId).execute();
            h.createUpdate("DELETE FROM knowledge_documents WHERE id = :id").bind("id", documentId).execute();
        });
    }

    /** Deletes a memory space's documents, chunks and watched folders; how many documents. */
    int deleteAll(String userId) {
        return database.jdbi().inTransaction(h -> {
            h.createUpdate("DELETE FROM knowledge_chunks WHERE user_id = :user").bind("user", userId).execute();
            h.createUpdate("DELETE FROM knowledge_watches WHERE user_id = :user").bind("user", userId).execute();
            return h.createUpdate("DELETE FROM knowledge_documents WHERE user_id = :user").bind("user", userId)
                    .execute();
        });
    }

    /** The passages of these chunk ids that still exist, with their document (score 0; the caller sets it). */
    List<Passage> passages(String userId, Collection<String> chunkIds) {
        if (chunkIds.isEmpty()) {
            return List.of();
        }
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT c.id, c.document_id, d.path, d.title, c.section, c.position, c.body
                        FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
                        WHERE c.user_id = :user AND c.id IN (<ids>)
                        """).bind("user", userId).bindList("ids", List.copyOf(chunkIds))
                .map((rs, ctx) -> new Passage(rs.getString("id"), rs.getString("document_id"), rs.getString("path"),
                        rs.getString("title"), rs.getString("section"), rs.getInt("position"), rs.getString("body"), 0))
                .list());
    }

    /** Every chunk of a memory space, for rebuilding its search documents. */
    List<Passage> allPassages(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT c.id, c.document_id, d.path, d.title, c.section, c.position, c.body
                        FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
                        WHERE c.user_id = :user ORDER BY d.path, c.position
                        """).bind("user", userId)
                .map((rs, ctx) -> new Passage(rs.getString("id"), rs.getString("document_id"), rs.getString("path"),
                        rs.getString("title"), rs.getString("section"), rs.getInt("position"), rs.getString("body"),
                        0))
                .list());
    }

    /** The memory spaces that hold documents. */
    List<String> users() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT user_id FROM knowledge_documents"
                + " ORDER BY user_id").mapTo(String.class).list());
    }

    int chunkCount(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM knowledge_chunks WHERE user_id = :user")
                .bind("user", userId).mapTo(Integer.class).one());
    }

    /** Records a folder as watched (again: no change). */
    void watch(String userId, String path, long now) {
        database.jdbi().useTransaction(h -> {
            boolean known = h.createQuery("SELECT COUNT(*) FROM knowledge_watches WHERE user_id = :user AND path = :path")
                    .bind("user", userId).bind("path", path).mapTo(Integer.class).one() > 0;
            if (!known) {
                h.createUpdate("INSERT INTO knowledge_watches (user_id, path, created_at) VALUES (:user, :path, :at)")
                        .bind("user", userId).bind("path", path).bind("at", now).execute();
            }
        });
    }

    /** Stops watching a folder and every watched folder under it; the paths no longer watched. */
    List<String> unwatch(String userId, String path, String under) {
        return database.jdbi().inTransaction(h -> {
            List<String> gone = h.createQuery("SELECT path FROM knowledge_watches WHERE user_id = :user"
                            + " AND (path = :path OR path LIKE :under ESCAPE '!') ORDER BY path")
                    .bind("user", userId).bind("path", path).bind("under", like(under) + "%")
                    .mapTo(String.class).list();
            gone.forEach(p -> h.createUpdate("DELETE FROM knowledge_watches WHERE user_id = :user AND path = :path")
                    .bind("user", userId).bind("path", p).execute());
            return gone;
        });
    }

    /** The watched folders of one memory space. */
    List<KnowledgeWatch.Watched> watched(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM knowledge_watches WHERE user_id = :user"
                + " ORDER BY path").bind("user", userId).map((rs, ctx) -> watch(rs)).list());
    }

    /** The watched folders of every memory space. */
    List<KnowledgeWatch.Watched> allWatched() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM knowledge_watches ORDER BY user_id, path")
                .map((rs, ctx) -> watch(rs)).list());
    }

    private static KnowledgeWatch.Watched watch(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new KnowledgeWatch.Watched(rs.getString("user_id"), rs.getString("path"), rs.getLong("created_at"));
    }

    private static String like(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    static String chunkId(String documentId, int position) {
        return documentId + "-" + position;
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static KnowledgeDocument document(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new KnowledgeDocument(rs.getString("id"), rs.getString("user_id"), rs.getString("path"),
                rs.getString("title"), rs.getLong("modified_at"), rs.getLong("size_bytes"), rs.getString("sha256"),
                rs.getInt("chunks"), rs.getLong("indexed_at"));
    }
}
