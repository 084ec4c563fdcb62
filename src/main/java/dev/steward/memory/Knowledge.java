package dev.steward.memory;

import dev.steward.store.Database;
import dev.steward.support.Ids;
import dev.steward.support.PrivacyFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The knowledge base: the user's own documents, read through a {@link DocumentReader}, split into chunks at their
 * headings (see {@link KnowledgeChunks}), kept as rows and searched in their own index beside the memories'. A file is
 * read again only when its bytes changed; each file is committed on its own, so an interrupted import resumes where it
 * stopped. Documents belong to a memory space: a user's own, or a team's ({@code team:NAME}, see {@link Teams}). What
 * a user reads (list, search, the agent's passages) is their own space and their teams'; writing names one space.
 * Folders may be watched: {@link KnowledgeWatch} follows them under {@code steward serve}.
 */
public final class Knowledge {
    /** The search document kind of a chunk. */
    public static final String CHUNK = "chunk";

    private final KnowledgeStore store;
    private final MemorySearch index;
    private final DocumentReader reader;
    private final PrivacyFilter privacy = new PrivacyFilter();
    private final Clock clock;
    private final Teams teams;

    public Knowledge(Database database, MemorySearch index, DocumentReader reader, Clock clock) {
        this.store = new KnowledgeStore(database);
        this.index = index;
        this.reader = reader;
        this.clock = clock;
        this.teams = new Teams(database, clock);
    }

    /** A file that was not indexed, and why (the rest were). */
    public record Skipped(String path, String reason) {}

    /** What an add or a refresh did, file by file. */
    public record Changes(List<KnowledgeDocument> added, List<KnowledgeDocument> updated, List<String> unchanged,
                          List<KnowledgeDocument> removed, List<Skipped> skipped) {
        public String summary() {
            int chunks = Stream.concat(added.stream(), updated.stream()).mapToInt(KnowledgeDocument::chunks).sum();
            StringBuilder text = new StringBuilder("Indexed " + added.size() + " new and " + updated.size()
                    + " changed document" + (added.size() + updated.size() == 1 ? "" : "s") + " (" + chunks + " chunks); "
                    + unchanged.size() + " unchanged");
            if (!removed.isEmpty()) {
                text.append("; removed ").append(removed.size()).append(" no longer there");
            }
            text.append('.');
            for (Skipped s : skipped) {
                text.append("\nSkipped ").append(s.path()).append(": ").append(s.reason());
            }
            return text.toString();
        }
    }

    /** Told after each file of a long add or refresh: how many of how many are done. */
    @FunctionalInterface
    public interface Progress {
        void done(int done, int total, String path);

        Progress NONE = (done, total, path) -> { };
    }

    /**
     * Adds files and folders (searched through, hidden folders passed over; only files the reader reads). A file
     * already in the base is read again only if it changed.
     *
     * @throws IllegalArgumentException naming a path that does not exist, before anything is written
     */
    public Changes add(String userId, List<Path> paths, Progress progress) {
        return add(userId, paths, false, progress);
    }

    /**
     * As {@link #add(String, List, Progress)}, into the memory space {@code userId} (a user's id or a team's
     * {@code team:NAME}); with {@code watch}, every folder among the paths is also watched (see {@link KnowledgeWatch}).
     *
     * @throws IllegalArgumentException naming a path that does not exist, or a file given to watch, before anything is
     *                                  written
     */
    public synchronized Changes add(String userId, List<Path> paths, boolean watch, Progress progress) {
        for (Path p : paths) {
            if (watch && Files.isRegularFile(p)) {
                throw new IllegalArgumentException("'" + p + "' is a file; --watch follows folders: give its folder,"
                        + " or add the file without --watch");
            }
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("no file or folder '" + p + "'; give the path of a document or a"
                        + " folder of documents");
            }
        }
        List<Skipped> skipped = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                files.addAll(readableUnder(p));
            } else if (reader.reads(p)) {
                files.add(p);
            } else {
                skipped.add(new Skipped(canonical(p), "not a kind of document the knowledge base reads"
                        + " (.md, .txt, .html, .docx, .xlsx, .pptx, .pdf, .csv)"));
            }
        }
        Changes changes = new Changes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                skipped);
        int done = 0;
        for (Path file : files.stream().distinct().toList()) {
            index(userId, file, changes);
            progress.done(++done, files.size(), canonical(file));
        }
        if (watch) {
            paths.forEach(folder -> store.watch(userId, canonical(folder), clock.millis()));
        }
        return changes;
    }

    /**
     * Reads every document again that changed since it was read, and drops those whose file is gone: the user's own
     * and their teams'.
     */
    public synchronized Changes refresh(String userId, Progress progress) {
        Changes changes = new Changes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        List<KnowledgeDocument> documents = documents(userId);
        int done = 0;
        for (KnowledgeDocument d : documents) {
            Path file = Path.of(d.path());
            if (Files.isRegularFile(file)) {
                index(d.userId(), file, changes);
            } else {
                drop(d);
                changes.removed().add(d);
            }
            progress.done(++done, documents.size(), d.path());
        }
        return changes;
    }

    /** What a remove took away: the documents, and the folders no longer watched. */
    public record Removed(List<KnowledgeDocument> documents, List<String> unwatched) {
        public boolean isEmpty() {
            return documents.isEmpty() && unwatched.isEmpty();
        }
    }

    /**
     * Removes a document, or every document under a folder, and stops watching the folder and those under it: the
     * user's own or their teams'. Empty when nothing had that path.
     */
    public synchronized Removed remove(String userId, Path path) {
        String target = canonical(path);
        List<KnowledgeDocument> removed = documents(userId).stream().filter(d -> under(d.path(), target)).toList();
        removed.forEach(this::drop);
        List<String> unwatched = new ArrayList<>();
        teams.spacesOf(userId).forEach(space -> unwatched.addAll(store.unwatch(space, target,
                target + java.io.File.separator)));
        return new Removed(removed, unwatched);
    }

    /** The documents a user reads: their own, then their teams'. */
    public List<KnowledgeDocument> list(String userId) {
        return documents(userId);
    }

    /** The folders watched for a user: their own, then their teams'. */
    public List<KnowledgeWatch.Watched> watched(String userId) {
        return teams.spacesOf(userId).stream().flatMap(space -> store.watched(space).stream()).toList();
    }

    /**
     * Follows every watched folder of every space: new and changed files under it are read (except those written in
     * the last {@code settleMillis}, which may still be being written: the next round takes them), and documents
     * under it whose file is gone are dropped. Stops between files once {@code keepGoing} says no (the process is
     * stopping; the next round goes on from there).
     */
    public synchronized Changes followWatched(long settleMillis, java.util.function.BooleanSupplier keepGoing) {
        Changes changes = new Changes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        long settled = clock.millis() - settleMillis;
        for (KnowledgeWatch.Watched w : store.allWatched()) {
            Path folder = Path.of(w.path());
            List<Path> files = Files.isDirectory(folder) ? readableUnder(folder) : List.of();
            for (Path file : files) {
                if (!keepGoing.getAsBoolean()) {
                    return changes;
                }
                if (modifiedBefore(file, settled)) {
                    index(w.userId(), file, changes);
                }
            }
            for (KnowledgeDocument d : store.documents(w.userId())) {
                if (under(d.path(), w.path()) && !Files.isRegularFile(Path.of(d.path()))) {
                    drop(d);
                    changes.removed().add(d);
                }
            }
        }
        return changes;
    }

    /** The best {@code k} passages for the query of the documents a user reads (their own and their teams'). */
    public List<Passage> search(String userId, String query, int k) {
        List<Passage> found = new ArrayList<>();
        for (String space : teams.spacesOf(userId)) {
            found.addAll(searchSpace(space, query, k));
        }
        found.sort(java.util.Comparator.comparingDouble(Passage::score).reversed());
        return found.size() <= k ? found : List.copyOf(found.subList(0, k));
    }

    private List<Passage> searchSpace(String userId, String query, int k) {
        if (query.isBlank() || k <= 0 || store.chunkCount(userId) == 0) {
            return List.of(); // most users have no documents: no query vector to compute for them
        }
        List<MemoryHit> hits = index.search(MemoryQuery.of(userId, query, k));
        Map<String, Double> scores = new LinkedHashMap<>();
        hits.stream().filter(h -> h.document().userId().equals(userId))
                .forEach(h -> scores.putIfAbsent(h.document().id(), h.score()));
        Map<String, Passage> found = new LinkedHashMap<>();
        store.passages(userId, scores.keySet()).forEach(p -> found.put(p.chunkId(), p));
        List<Passage> ranked = new ArrayList<>();
        scores.forEach((id, score) -> Optional.ofNullable(found.get(id)).ifPresent(p -> ranked.add(
                new Passage(p.chunkId(), p.documentId(), p.path(), p.title(), p.section(), p.position(), p.text(),
                        score))));
        return ranked;
    }

    /** Deletes a space's documents, their chunks and their search documents (gone from disk too); how many documents. */
    public int clear(String userId) {
        int removed = store.deleteAll(userId);
        index.deleteAll(userId);
        index.expungeDeleted();
        return removed;
    }

    /** Rebuilds the search documents of every space from the rows; per space how many chunks. */
    public Map<String, Integer> reindexAll() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        store.users().forEach(user -> counts.put(user, reindex(user)));
        return counts;
    }

    /** Rebuilds the search documents of one space from the rows; how many chunks. */
    public int reindex(String userId) {
        index.deleteAll(userId);
        List<MemoryDocument> documents = new ArrayList<>();
        for (Passage p : store.allPassages(userId)) {
            documents.add(searchDocument(userId, p.chunkId(), p.documentId(), p.title(), p.section(), p.text(), 0));
        }
        index.upsertAll(documents);
        return documents.size();
    }

    /** Spaces whose chunk count in the index differs from the rows; empty when all agree. */
    public List<Memory.IndexDrift> indexDrift() {
        List<Memory.IndexDrift> drift = new ArrayList<>();
        for (String user : store.users()) {
            int stored = store.chunkCount(user);
            int indexed = index.count(user);
            if (indexed >= 0 && indexed != stored) {
                drift.add(new Memory.IndexDrift(user, stored, indexed));
            }
        }
        return drift;
    }

    private List<KnowledgeDocument> documents(String userId) {
        return teams.spacesOf(userId).stream().flatMap(space -> store.documents(space).stream()).toList();
    }

    private static boolean under(String path, String folder) {
        return path.equals(folder) || path.startsWith(folder + java.io.File.separator);
    }

    private static boolean modifiedBefore(Path file, long millis) {
        try {
            return Files.getLastModifiedTime(file).toMillis() <= millis;
        } catch (IOException e) {
            return false; // gone meanwhile: the next round drops it
        }
    }

    private void index(String userId, Path file, Changes changes) {
        String path = canonical(file);
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            long size = Files.size(file);
            Optional<KnowledgeDocument> old = store.document(userId, path);
            if (old.isPresent() && old.get().modifiedAt() == modified && old.get().sizeBytes() == size) {
                changes.unchanged().add(path);
                return;
            }
            String sha = sha256(Files.readAllBytes(file));
            if (old.isPresent() && old.get().sha256().equals(sha)) {
                store.touch(old.get().id(), modified); // saved again without a change
                changes.unchanged().add(path);
                return;
            }
            String text = privacy.redact(reader.read(file));
            List<KnowledgeChunks.Chunk> chunks = KnowledgeChunks.split(text);
            if (chunks.isEmpty()) {
                changes.skipped().add(new Skipped(path, "it has no text to index (a scanned PDF needs OCR first)"));
                return;
            }
            String id = old.map(KnowledgeDocument::id).orElseGet(Ids::next);
            String title = KnowledgeChunks.title(text, file.getFileName().toString());
            KnowledgeDocument document = new KnowledgeDocument(id, userId, path, clip(title), modified, size, sha,
                    chunks.size(), clock.millis());
            store.put(document, chunks);
            List<MemoryDocument> searchable = new ArrayList<>();
            for (KnowledgeChunks.Chunk c : chunks) {
                searchable.add(searchDocument(userId, KnowledgeStore.chunkId(id, c.position()), id, document.title(),
                        c.section(), c.body(), modified));
            }
            index.upsertAll(searchable);
            for (int gone = chunks.size(); gone < old.map(KnowledgeDocument::chunks).orElse(0); gone++) {
                index.delete(userId, KnowledgeStore.chunkId(id, gone));
            }
            (old.isPresent() ? changes.updated() : changes.added()).add(document);
        } catch (IOException e) {
            changes.skipped().add(new Skipped(path, "cannot be read (" + e.getMessage() + "); check that it exists"
                    + " and that Steward may read it"));
        } catch (DocumentReader.Unreadable | UncheckedIOException e) { // the reader's message names the fix
            changes.skipped().add(new Skipped(path, e.getMessage()));
        }
    }

    /** A chunk as the index holds it: its text, with the document's title and section as its context. */
    private static MemoryDocument searchDocument(String userId, String chunkId, String documentId, String title,
                                                 String section, String body, long timestamp) {
        return new MemoryDocument(chunkId, userId, CHUNK, null, body, List.of(documentId), timestamp, 1.0, null,
                title + (section.isEmpty() ? "" : "\n" + section) + "\n" + body, null);
    }

    private void drop(KnowledgeDocument d) {
        store.delete(d.id());
        for (int i = 0; i < d.chunks(); i++) {
            index.delete(d.userId(), KnowledgeStore.chunkId(d.id(), i));
        }
    }

    private List<Path> readableUnder(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).filter(p -> !hidden(folder.relativize(p)))
                    .filter(reader::reads).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the folder " + folder + ": " + e.getMessage(), e);
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    static String canonical(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    private static String clip(String title) {
        return title.length() <= 500 ? title : title.substring(0, 500);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
