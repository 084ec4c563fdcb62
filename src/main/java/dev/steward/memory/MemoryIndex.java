package dev.steward.memory;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * The hybrid memory index: Lucene BM25 over the text and HNSW over sentence-embedding vectors, in one Lucene index per
 * deployment and embedding model ({@code STEWARD_HOME/index/MODEL}); users are a field, and every search is filtered
 * by it. See docs/memory-search.md for how results are ranked.
 *
 * <p>Writing never runs the model: a memory is searchable by its words as soon as {@link #upsert} returns, and gets
 * its vector on the next search of its user that needs vectors (at most {@value #EMBED_PER_SEARCH} per search), or
 * from {@link #embedPending(int)}. So a process that only stores memories, or searches lexically, never loads the
 * model.
 *
 * <p>Several processes may share one index (say {@code steward serve} and a {@code steward memory add}): each write
 * takes Lucene's index lock for as long as it takes to apply and commit, and each search first picks up what other
 * writers committed. A search sees every upsert and delete that returned before it started, in any process.
 * Thread-safe.
 */
public final class MemoryIndex implements MemorySearch {
    /** Pending memories a search embeds before it runs; the rest keep waiting (they are still found by words). */
    static final int EMBED_PER_SEARCH = 64;
    /** Pending memories embedded and written in one go. */
    private static final int EMBED_BATCH = 256;
    private static final Duration LOCK_WAIT = Duration.ofSeconds(30);
    /** The background embedder's chunk, its rest per unit of its work while busy, and how long a search keeps it so. */
    static final int BACKGROUND_CHUNK = 32;
    static final int REST_PER_WORK = 4;
    static final Duration BUSY = Duration.ofSeconds(1);
    /**
     * Lucene tells, once per process and on stderr, whether it may use the Vector API (the launcher enables it for
     * serve only: the JVM warns about the incubator module at every start). A performance note on the CLI's stderr,
     * which is for the user, is noise; held here because a logger nobody references may be collected with its level.
     */
    private static final Logger VECTORIZATION_LOG = Logger.getLogger(
            "org.apache.lucene.internal.vectorization.VectorizationProvider");

    static {
        VECTORIZATION_LOG.setLevel(Level.SEVERE);
    }

    private final Path path;
    private final Directory directory;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final SearcherManager searchers;
    private final Embedder embedder;
    private final Ranking ranking;
    private final CandidateSearch candidates;
    private final Clock clock;
    private final boolean created;
    private final Object writeLock = new Object();
    private final ReentrantLock embedding = new ReentrantLock();
    /** The thread that embeds new memories, in a server; null where searches embed them. */
    private volatile Thread background;
    /** When the last search began (nanoTime): the background embedder gives way to searches. */
    private volatile long lastSearch = System.nanoTime() - Duration.ofHours(1).toNanos();
    /** Changes waiting for the next commit; whoever holds {@link #writeLock} commits them all at once. */
    private final Queue<QueuedChange> queued = new ConcurrentLinkedQueue<>();

    /**
     * The index under {@code stewardHome/index/MODEL}, with the production embedder (loaded on the first semantic
     * search) and the production ranking.
     */
    public static MemoryIndex open(Path stewardHome) {
        return open(stewardHome, true);
    }

    /**
     * As above; with {@code semantic} false its searches go by words alone and never load the model (a short command
     * that must start fast), while the memories it writes still wait for their vectors in the same index.
     */
    public static MemoryIndex open(Path stewardHome, boolean semantic) {
        Embedder embedder = Embedder.production();
        Ranking ranking = Ranking.defaultsFor(embedder);
        return new MemoryIndex(stewardHome.resolve("index").resolve(embedder.name()), embedder,
                semantic ? ranking : ranking.wordsOnly(), Clock.systemUTC());
    }

    public MemoryIndex(Path directory, Embedder embedder, Ranking ranking, Clock clock) {
        this.path = directory;
        this.embedder = Objects.requireNonNull(embedder);
        this.ranking = Objects.requireNonNull(ranking);
        this.clock = Objects.requireNonNull(clock);
        this.candidates = new CandidateSearch(analyzer, embedder, ranking);
        try {
            this.directory = new UnsyncedDirectory(FSDirectory.open(directory));
            boolean exists = DirectoryReader.indexExists(this.directory);
            // The reader that finds the index sound is the searchers' first: opening a second one cost a short
            // command 2 % of its time.
            DirectoryReader reader = exists ? readerUnlessDamaged(this.directory) : null;
            if (exists && reader == null) {
                for (String file : this.directory.listAll()) {
                    this.directory.deleteFile(file); // rebuilt from the store below, like a new index
                }
            }
            this.created = reader == null;
            if (created) {
                write(w -> { }); // an empty commit, so that there is always something to search
                reader = DirectoryReader.open(this.directory);
            }
            this.searchers = new SearcherManager(reader, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the memory index in " + directory, e);
        }
    }

    /**
     * An index of its own beside this one ({@code …/MODEL-NAME}), with the same embedder and ranking: for search
     * documents that are not memories (the knowledge base's chunks), so that rebuilding or counting memories leaves
     * them alone.
     */
    public MemoryIndex sibling(String name) {
        return new MemoryIndex(path.resolveSibling(path.getFileName() + "-" + name), embedder, ranking, clock);
    }

    /** Whether this index was created empty when it was opened (so its memories must be rebuilt from the store). */
    public boolean created() {
        return created;
    }

    /** The embedder of this index's vectors. */
    public Embedder embedder() {
        return embedder;
    }

    @Override
    public void upsert(MemoryDocument document) {
        upsertAll(List.of(document));
    }

    /**
     * Adds a new memory (its vector waits like an upsert's). No delete by its key: the commit would look the key up in
     * every segment, which was a sixth of the CPU of a chat's index write (a profile of bench/chat-cpu.sh).
     */
    @Override
    public void add(MemoryDocument document) {
        LuceneDocuments.check(document);
        write(w -> w.addDocument(LuceneDocuments.toLucene(document, null)));
    }

    /** Adds or replaces several memories in one commit; their vectors wait for the next search or {@link #embedPending}. */
    @Override
    public void upsertAll(List<MemoryDocument> documents) {
        documents.forEach(LuceneDocuments::check);
        write(w -> {
            for (MemoryDocument d : documents) {
                w.updateDocument(LuceneDocuments.keyTerm(d.userId(), d.id()), LuceneDocuments.toLucene(d, null));
            }
        });
    }

    @Override
    public void delete(String userId, String id) {
        write(w -> w.deleteDocuments(LuceneDocuments.keyTerm(userId, id)));
    }

    /** Merges away the segments that hold deleted memories, so their text no longer sits in the index files. */
    @Override
    public void expungeDeleted() {
        write(w -> w.forceMergeDeletes(true));
    }

    @Override
    public void deleteAll(String userId) {
        write(w -> w.deleteDocuments(new Term(LuceneDocuments.USER, Objects.requireNonNull(userId))));
    }

    /**
     * Computes the vectors of up to {@code max} memories (of any user) that wait for one, in batches.
     *
     * @return how many were embedded
     */
    public int embedPending(int max) {
        embedding.lock();
        try {
            return embedPending(LuceneDocuments.pending(), max);
        } finally {
            embedding.unlock();
        }
    }

    /**
     * For a long-lived process (the server): new memories get their vectors from a background thread shortly after
     * they are written, and searches stop embedding on their own path — where one exchange's episode, embedded by
     * the next request, cost that request most of its time. Until then, a new memory is found by its words.
     *
     * <p>It gives way to searches: while any ran in the last {@link #BUSY}, it rests {@value #REST_PER_WORK} times as
     * long as each chunk took (at most a fifth of the time); idle, it catches up at full speed (docs/benchmarks.md).
     */
    public synchronized void embedInBackground(Duration every) {
        if (background == null) {
            // A platform thread: a virtual one would hold one of the few carriers for each whole inference.
            background = Thread.ofPlatform().daemon().name("steward-memory-embedder").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(every);
                        while (embedChunkGivingWay() > 0) { } // until nothing waits
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // The model or the index failed this round; the memories keep waiting for the next.
                    }
                }
            });
        }
    }

    private int embedChunkGivingWay() throws InterruptedException {
        long started = System.nanoTime();
        int done = embedPending(BACKGROUND_CHUNK);
        long now = System.nanoTime();
        if (done > 0 && now - lastSearch < BUSY.toNanos()) {
            Thread.sleep(Duration.ofNanos((now - started) * REST_PER_WORK));
        }
        return done;
    }

    /** How many memories wait for their vector. */
    public int pending() {
        return withSearcher(s -> s.count(LuceneDocuments.pending()));
    }

    @Override
    public int count(String userId) {
        return withSearcher(searcher -> searcher.count(new TermQuery(new Term(LuceneDocuments.USER, userId))));
    }

    @Override
    public List<MemoryHit> search(MemoryQuery query) {
        return search(query, Ranking.Observer.NONE);
    }

    /** As {@link #search(MemoryQuery)}, showing {@code observer} every candidate it weighs before it ranks them. */
    public List<MemoryHit> search(MemoryQuery query, Ranking.Observer observer) {
        Objects.requireNonNull(query.userId(), "userId");
        if (query.k() <= 0 || query.text() == null || query.text().isBlank()) {
            return List.of();
        }
        lastSearch = System.nanoTime();
        Query filter = CandidateSearch.filter(query);
        boolean semantic = ranking.semantic();
        // One search at a time embeds what waits; the others go on with the vectors there are (a memory still
        // waiting is found by its words). Otherwise every concurrent search embeds the same waiting memories.
        if (semantic && background == null && embedding.tryLock()) {
            try {
                embedPending(new BooleanQuery.Builder()
                        .add(LuceneDocuments.pending(), BooleanClause.Occur.FILTER)
                        .add(new TermQuery(new Term(LuceneDocuments.USER, query.userId())), BooleanClause.Occur.FILTER)
                        .build(), EMBED_PER_SEARCH);
            } finally {
                embedding.unlock();
            }
        }
        return withSearcher(searcher -> {
            List<CandidateSearch.Candidate> found = candidates.candidates(searcher, query, filter);
            found.forEach(c -> observer.weighed(c.document, c.features.clone()));
            return found.isEmpty() ? List.<MemoryHit>of() : ranking.rank(found, query.k(), clock.millis());
        });
    }

    /** A candidate of a search with the features it was scored by (see {@link Ranking.Weights}). */
    record Weighed(MemoryDocument document, List<Double> features) {}

    /** What {@link #search} weighs for a query: every candidate, with its features, in no particular order. */
    List<Weighed> weigh(MemoryQuery query) {
        List<Weighed> weighed = new ArrayList<>();
        search(query, (document, features) -> weighed.add(new Weighed(document, Arrays.stream(features).boxed()
                .toList())));
        return weighed;
    }

    @Override
    public void close() {
        Thread embedder;
        synchronized (this) {
            embedder = background;
        }
        if (embedder != null) {
            embedder.interrupt();
            try {
                embedder.join(LOCK_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            searchers.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- writing

    private interface Change {
        void apply(IndexWriter writer) throws IOException;
    }

    private record QueuedChange(Change change, CompletableFuture<Void> done) {}

    /**
     * Applies a change under Lucene's index lock and commits it; returns once it is committed. Changes that arrive
     * while another thread commits are committed together by the next thread in, so that concurrent writers share
     * one writer and one commit instead of each paying for both. The lock is held only for this, so that other
     * processes can write too; a writer that finds it taken waits for up to {@link #LOCK_WAIT}.
     */
    private void write(Change change) {
        QueuedChange mine = new QueuedChange(change, new CompletableFuture<>());
        queued.add(mine);
        synchronized (writeLock) {
            if (!mine.done().isDone()) {
                List<QueuedChange> batch = new ArrayList<>();
                for (QueuedChange next; (next = queued.poll()) != null; ) {
                    batch.add(next);
                }
                commit(batch);
            }
        }
        try {
            mine.done().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new UncheckedIOException(
                    "cannot write the memory index in " + path, (IOException) e.getCause());
        }
    }

    /** Applies each change of the batch (one that fails fails alone) and commits those that applied. */
    private void commit(List<QueuedChange> batch) {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64);
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                List<QueuedChange> applied = new ArrayList<>();
                for (QueuedChange each : batch) {
                    try {
                        each.change().apply(writer);
                        applied.add(each);
                    } catch (IOException | RuntimeException e) {
                        each.done().completeExceptionally(e);
                    }
                }
                writer.commit();
                applied.forEach(each -> each.done().complete(null));
                return;
            } catch (LockObtainFailedException busy) {
                if (System.nanoTime() > deadline) {
                    fail(batch, new IllegalStateException("the memory index in " + path + " stayed locked by "
                            + "another process for " + LOCK_WAIT.toSeconds() + " s (the lock ends with the process "
                            + "that holds it): let a running import or reindex finish, or stop the steward process "
                            + "that hangs, and try again", busy));
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail(batch, new IllegalStateException("interrupted while waiting for the memory index lock", e));
                    return;
                }
            } catch (IOException e) {
                fail(batch, new UncheckedIOException("cannot write the memory index in " + path, e));
                return;
            }
        }
    }

    private static void fail(List<QueuedChange> batch, RuntimeException error) {
        batch.forEach(each -> each.done().completeExceptionally(error));
    }

    /** Whether the index cannot be read: a crash between its unsynced writes can leave it so. */
    /** A reader of the index, or null if the index is damaged (it is then rebuilt from the store). */
    private static DirectoryReader readerUnlessDamaged(Directory directory) {
        try {
            return DirectoryReader.open(directory);
        } catch (CorruptIndexException | EOFException | NoSuchFileException | FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the memory index", e);
        }
    }

    private interface SearcherTask<T> {
        T run(IndexSearcher searcher) throws IOException;
    }

    /** Runs a task on a searcher that holds every change committed so far, by this process or another. */
    private <T> T withSearcher(SearcherTask<T> task) {
        try {
            searchers.maybeRefreshBlocking();
            IndexSearcher searcher = searchers.acquire();
            try {
                return task.run(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the memory index in " + path, e);
        }
    }

    /**
     * Embeds up to {@code max} pending memories that match {@code which}. The model runs outside the index lock; a
     * memory replaced meanwhile keeps waiting for its new text's vector.
     */
    private int embedPending(Query which, int max) {
        int done = 0;
        while (done < max) {
            int batch = Math.min(EMBED_BATCH, max - done);
            List<MemoryDocument> waiting = withSearcher(s -> {
                if (s.count(which) == 0) {
                    return List.<MemoryDocument>of();
                }
                StoredFields stored = s.storedFields();
                List<MemoryDocument> docs = new ArrayList<>();
                for (ScoreDoc sd : s.search(which, batch).scoreDocs) {
                    docs.add(LuceneDocuments.fromLucene(stored.document(sd.doc)));
                }
                return docs;
            });
            if (waiting.isEmpty()) {
                break;
            }
            List<String> texts = new ArrayList<>();
            waiting.forEach(d -> texts.add(d.text()));
            waiting.stream().map(MemoryDocument::context).filter(Objects::nonNull).forEach(texts::add);
            List<float[]> embedded = embedder.embedAll(texts); // texts first, then the contexts there are
            List<LuceneDocuments.Embedded> vectors = new ArrayList<>();
            int nextContext = waiting.size();
            for (int i = 0; i < waiting.size(); i++) {
                vectors.add(new LuceneDocuments.Embedded(embedded.get(i),
                        waiting.get(i).context() == null ? null : embedded.get(nextContext++)));
            }
            write(w -> {
                try (DirectoryReader now = DirectoryReader.open(w)) {
                    IndexSearcher current = new IndexSearcher(now);
                    StoredFields stored = current.storedFields();
                    for (int i = 0; i < waiting.size(); i++) {
                        MemoryDocument d = waiting.get(i);
                        Term key = LuceneDocuments.keyTerm(d.userId(), d.id());
                        TopDocs same = current.search(new BooleanQuery.Builder()
                                .add(new TermQuery(key), BooleanClause.Occur.FILTER)
                                .add(LuceneDocuments.pending(), BooleanClause.Occur.FILTER).build(), 1);
                        if (same.scoreDocs.length == 1
                                && LuceneDocuments.fromLucene(stored.document(same.scoreDocs[0].doc)).equals(d)) {
                            w.updateDocument(key, LuceneDocuments.toLucene(d, vectors.get(i)));
                        }
                    }
                }
            });
            done += waiting.size();
        }
        return done;
    }
}
