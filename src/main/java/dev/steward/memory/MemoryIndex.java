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
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ObjDoubleConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

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
    /**
     * Lucene tells, once per process and on stderr, whether it may use the Vector API (the launcher enables it for
     * serve only: the JVM warns about the incubator module at every start). A performance note on the CLI's stderr,
     * which is for the user, is noise; held here because a logger nobody references may be collected with its level.
     */
    private static final Logger VECTORIZATION_LOG =
            Logger.getLogger("org.apache.lucene.internal.vectorization.VectorizationProvider");

    static {
        VECTORIZATION_LOG.setLevel(Level.SEVERE);
    }

    private static final int MAX_QUERY_TERMS = 64;

    private static final String KEY = "key";
    private static final String ID = "id";
    private static final String USER = "user";
    private static final String KIND = "kind";
    private static final String CATEGORY = "category";
    private static final String TEXT = "text";
    private static final String REF = "ref";
    private static final String TIME = "time";
    private static final String CONFIDENCE = "confidence";
    private static final String VECTOR = "vector";
    private static final String SPEAKER = "speaker";
    private static final String CONTEXT = "context";
    private static final String CONTEXT_VECTOR = "context_vector";
    private static final String CONVERSATION = "conversation";
    /** Marks a memory whose vector is not computed yet. */
    private static final String PENDING = "pending";

    private final Path path;
    private final Directory directory;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final SearcherManager searchers;
    private final Embedder embedder;
    private final Ranking ranking;
    private final Clock clock;
    private final boolean created;
    private final Object writeLock = new Object();
    private final ReentrantLock embedding = new ReentrantLock();
    /** The thread that embeds new memories, in a server; null where searches embed them. */
    private volatile Thread background;
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
        try {
            this.directory = new Unsynced(FSDirectory.open(directory));
            boolean damaged = DirectoryReader.indexExists(this.directory) && damaged(this.directory);
            if (damaged) {
                for (String file : this.directory.listAll()) {
                    this.directory.deleteFile(file); // rebuilt from the store below, like a new index
                }
            }
            this.created = damaged || !DirectoryReader.indexExists(this.directory);
            if (created) {
                write(w -> { }); // an empty commit, so that there is always something to search
            }
            this.searchers = new SearcherManager(this.directory, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the memory index in " + directory, e);
        }
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

    /** Adds or replaces several memories in one commit; their vectors wait for the next search or {@link #embedPending}. */
    @Override
    public void upsertAll(List<MemoryDocument> documents) {
        documents.forEach(MemoryIndex::check);
        write(w -> {
            for (MemoryDocument d : documents) {
                w.updateDocument(new Term(KEY, key(d.userId(), d.id())), toLucene(d, null));
            }
        });
    }

    @Override
    public void delete(String userId, String id) {
        write(w -> w.deleteDocuments(new Term(KEY, key(userId, id))));
    }

    @Override
    public void deleteAll(String userId) {
        write(w -> w.deleteDocuments(new Term(USER, Objects.requireNonNull(userId))));
    }

    /**
     * Computes the vectors of up to {@code max} memories (of any user) that wait for one, in batches.
     *
     * @return how many were embedded
     */
    public int embedPending(int max) {
        embedding.lock();
        try {
            return embedPending(new TermQuery(new Term(PENDING, "1")), max);
        } finally {
            embedding.unlock();
        }
    }

    /**
     * For a long-lived process (the server): new memories get their vectors from a background thread shortly after
     * they are written, and searches stop embedding on their own path — where one exchange's episode, embedded by
     * the next request, cost that request most of its time. Until then, a new memory is found by its words.
     */
    public synchronized void embedInBackground(Duration every) {
        if (background == null) {
            background = Thread.ofVirtual().name("steward-memory-embedder").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(every);
                        embedPending(EMBED_BATCH);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // The model or the index failed this round; the memories keep waiting for the next.
                    }
                }
            });
        }
    }

    /** How many memories wait for their vector. */
    public int pending() {
        return withSearcher(s -> s.count(new TermQuery(new Term(PENDING, "1"))));
    }

    @Override
    public List<MemoryHit> search(MemoryQuery query) {
        Objects.requireNonNull(query.userId(), "userId");
        if (query.k() <= 0 || query.text() == null || query.text().isBlank()) {
            return List.of();
        }
        Query filter = filter(query);
        boolean semantic = ranking.semantic();
        // One search at a time embeds what waits; the others go on with the vectors there are (a memory still
        // waiting is found by its words). Otherwise every concurrent search embeds the same waiting memories.
        if (semantic && background == null && embedding.tryLock()) {
            try {
                embedPending(new BooleanQuery.Builder()
                        .add(new TermQuery(new Term(PENDING, "1")), BooleanClause.Occur.FILTER)
                        .add(new TermQuery(new Term(USER, query.userId())), BooleanClause.Occur.FILTER)
                        .build(), EMBED_PER_SEARCH);
            } finally {
                embedding.unlock();
            }
        }
        return withSearcher(searcher -> {
            List<Candidate> candidates = candidates(searcher, query, filter);
            return candidates.isEmpty() ? List.<MemoryHit>of() : rank(candidates, query.k());
        });
    }

    /** A candidate of a search with the features it was scored by (see {@link Ranking.Weights}). */
    public record Weighed(MemoryDocument document, List<Double> features) {}

    /**
     * What {@link #search} weighs for a query: every candidate, with its features, in no particular order. For
     * fitting {@link Ranking.Weights}; a search ranks exactly these.
     */
    public List<Weighed> weigh(MemoryQuery query) {
        if (query.text() == null || query.text().isBlank()) {
            return List.of();
        }
        return withSearcher(searcher -> candidates(searcher, query, filter(query)).stream()
                .map(c -> new Weighed(c.document, Arrays.stream(c.features).boxed().toList())).toList());
    }

    /** The candidates of the four lists, each with its document and features. */
    private List<Candidate> candidates(IndexSearcher searcher, MemoryQuery query, Query filter) throws IOException {
        int n = Math.max(ranking.candidates(), 2 * query.k());
        int selected = ranking.semantic() ? searcher.count(filter) : -1;
        if (selected == 0) {
            return List.of(); // nothing to find: do not load the model for it
        }
        // A filter that selects every memory (one user, no other condition) is left out of the graph search: with a
        // filter, Lucene walks the graph only as far as the filter's size and then scores every memory of the
        // segment instead, which was two thirds of a query's time at 200,000 memories.
        Query graphFilter = selected == searcher.getIndexReader().numDocs() ? null : filter;
        Map<Integer, Candidate> byDoc = new HashMap<>();
        Set<String> words = words(query.text());
        if (!words.isEmpty()) {
            for (ScoreDoc sd : searcher.search(lexical(searcher, TEXT, words, filter), n).scoreDocs) {
                byDoc.computeIfAbsent(sd.doc, Candidate::new).textWords = sd.score;
            }
            for (ScoreDoc sd : searcher.search(lexical(searcher, CONTEXT, words, filter), n).scoreDocs) {
                byDoc.computeIfAbsent(sd.doc, Candidate::new).contextWords = sd.score;
            }
        }
        float[] vector = null;
        if (ranking.semantic()) {
            vector = embedder.embedQuery(query.text());
            float related = (float) ((1 + ranking.minSimilarity()) / 2); // DOT_PRODUCT scores are (1 + cos) / 2
            for (String field : List.of(VECTOR, CONTEXT_VECTOR)) {
                Query nearest = new KnnFloatVectorQuery(field, vector, n, graphFilter);
                for (ScoreDoc sd : searcher.search(nearest, n).scoreDocs) {
                    if (sd.score >= related) {
                        byDoc.computeIfAbsent(sd.doc, Candidate::new);
                    }
                }
            }
        }
        List<Candidate> all = new ArrayList<>(byDoc.values());
        all.sort(Comparator.comparingInt(c -> c.doc));
        StoredFields stored = searcher.storedFields();
        for (Candidate c : all) {
            c.document = fromLucene(stored.document(c.doc));
        }
        if (!words.isEmpty() && !all.isEmpty()) {
            conversationWords(searcher, all, words);
        }
        if (vector != null) {
            cosines(searcher, all, VECTOR, vector, (c, cos) -> c.textCosine = cos);
            cosines(searcher, all, CONTEXT_VECTOR, vector, (c, cos) -> c.contextCosine = cos);
        }
        Set<String> queryWords = Set.copyOf(Terms.of(query.text()));
        double[][] features = Features.of(all.stream().map(c -> new Features.Raw(c.textWords,
                c.document.context() == null ? Double.NaN : c.contextWords,
                c.document.conversation() == null ? Double.NaN : c.conversationWords, c.textCosine,
                c.contextCosine, named(c.document.speaker(), queryWords))).toList());
        for (int i = 0; i < all.size(); i++) {
            all.get(i).features = features[i];
        }
        return all;
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

    private static void check(MemoryDocument d) {
        Objects.requireNonNull(d.id(), "id");
        Objects.requireNonNull(d.userId(), "userId");
        Objects.requireNonNull(d.text(), "text");
    }

    private static String key(String userId, String id) {
        return Objects.requireNonNull(userId) + '\u001f' + Objects.requireNonNull(id);
    }

    /** A Lucene document; without vectors, it is marked pending. */
    private Document toLucene(MemoryDocument d, Embedded vectors) {
        Document doc = new Document();
        doc.add(new StringField(KEY, key(d.userId(), d.id()), Field.Store.NO));
        doc.add(new StringField(ID, d.id(), Field.Store.YES));
        doc.add(new StringField(USER, d.userId(), Field.Store.YES));
        if (d.kind() != null) {
            doc.add(new StringField(KIND, d.kind(), Field.Store.YES));
        }
        if (d.category() != null) {
            doc.add(new StringField(CATEGORY, d.category(), Field.Store.YES));
        }
        doc.add(new TextField(TEXT, d.text(), Field.Store.YES));
        if (d.context() != null) {
            doc.add(new TextField(CONTEXT, d.context(), Field.Store.YES));
        }
        if (d.conversation() != null) {
            doc.add(new TextField(CONVERSATION, d.conversation(), Field.Store.YES));
        }
        if (d.speaker() != null) {
            doc.add(new StoredField(SPEAKER, d.speaker()));
        }
        for (String ref : d.sourceRefs()) {
            doc.add(new StoredField(REF, ref));
        }
        doc.add(new LongPoint(TIME, d.timestamp()));
        doc.add(new StoredField(TIME, d.timestamp()));
        doc.add(new StoredField(CONFIDENCE, d.confidence()));
        if (vectors == null) {
            doc.add(new StringField(PENDING, "1", Field.Store.NO));
        } else {
            doc.add(new KnnFloatVectorField(VECTOR, vectors.text(), VectorSimilarityFunction.DOT_PRODUCT));
            if (vectors.context() != null) {
                doc.add(new KnnFloatVectorField(CONTEXT_VECTOR, vectors.context(),
                        VectorSimilarityFunction.DOT_PRODUCT));
            }
        }
        return doc;
    }

    /** A memory's vectors: of its text, and of its context if it has one. */
    private record Embedded(float[] text, float[] context) {}

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
    private static boolean damaged(Directory directory) {
        try (DirectoryReader ignored = DirectoryReader.open(directory)) {
            return false;
        } catch (CorruptIndexException | EOFException | NoSuchFileException | FileNotFoundException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the memory index", e);
        }
    }

    /**
     * The index never asks the disk to sync. It is derived data: everything in it is rebuilt from the database
     * (which does sync) when it is missing or damaged, and a sync per commit cost half of a chat's time.
     */
    private static final class Unsynced extends FilterDirectory {
        Unsynced(Directory delegate) {
            super(delegate);
        }

        @Override
        public void sync(Collection<String> names) {
            // Left to the operating system's own write-back; see the class comment.
        }

        @Override
        public void syncMetaData() {
            // As above.
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
                    docs.add(fromLucene(stored.document(sd.doc)));
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
            List<Embedded> vectors = new ArrayList<>();
            int nextContext = waiting.size();
            for (int i = 0; i < waiting.size(); i++) {
                vectors.add(new Embedded(embedded.get(i),
                        waiting.get(i).context() == null ? null : embedded.get(nextContext++)));
            }
            write(w -> {
                try (DirectoryReader now = DirectoryReader.open(w)) {
                    IndexSearcher current = new IndexSearcher(now);
                    StoredFields stored = current.storedFields();
                    for (int i = 0; i < waiting.size(); i++) {
                        MemoryDocument d = waiting.get(i);
                        Term key = new Term(KEY, key(d.userId(), d.id()));
                        TopDocs same = current.search(new BooleanQuery.Builder()
                                .add(new TermQuery(key), BooleanClause.Occur.FILTER)
                                .add(new TermQuery(new Term(PENDING, "1")), BooleanClause.Occur.FILTER).build(), 1);
                        if (same.scoreDocs.length == 1
                                && fromLucene(stored.document(same.scoreDocs[0].doc)).equals(d)) {
                            w.updateDocument(key, toLucene(d, vectors.get(i)));
                        }
                    }
                }
            });
            done += waiting.size();
        }
        return done;
    }

    // ---- searching

    private static Query filter(MemoryQuery q) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        b.add(new TermQuery(new Term(USER, q.userId())), BooleanClause.Occur.FILTER);
        if (!q.categories().isEmpty()) {
            b.add(anyOf(CATEGORY, q.categories()), BooleanClause.Occur.FILTER);
        }
        if (!q.kinds().isEmpty()) {
            b.add(anyOf(KIND, q.kinds()), BooleanClause.Occur.FILTER);
        }
        if (q.fromMillis() != null || q.toMillis() != null) {
            long from = q.fromMillis() == null ? Long.MIN_VALUE : q.fromMillis();
            long to = q.toMillis() == null ? Long.MAX_VALUE : q.toMillis() - 1;
            b.add(LongPoint.newRangeQuery(TIME, from, to), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    private static Query anyOf(String field, Set<String> values) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        values.forEach(v -> b.add(new TermQuery(new Term(field, v)), BooleanClause.Occur.SHOULD));
        return b.build();
    }

    /** The analysed words of a text. */
    private Set<String> words(String text) throws IOException {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream(TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
                terms.add(term.toString());
            }
            ts.end();
        }
        return terms;
    }

    /**
     * BM25 over the words in one field (no query syntax: user text is never parsed as operators). A word the index
     * has never seen is probably misspelt: it matches its near spellings instead.
     */
    private static Query lexical(IndexSearcher searcher, String field, Set<String> words, Query filter)
            throws IOException {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (String t : words) {
            Term term = new Term(field, t);
            boolean unknown = t.length() >= 4 && searcher.getIndexReader().docFreq(new Term(TEXT, t)) == 0;
            any.add(unknown ? new FuzzyQuery(term, t.length() >= 7 ? 2 : 1, 1) : new TermQuery(term),
                    BooleanClause.Occur.SHOULD);
        }
        return new BooleanQuery.Builder()
                .add(any.build(), BooleanClause.Occur.MUST)
                .add(filter, BooleanClause.Occur.FILTER)
                .build();
    }

    /** What one search knows of one candidate; a score of 0 or NaN means the list or the vector does not have it. */
    private static final class Candidate {
        final int doc;
        double textWords;
        double contextWords;
        double conversationWords;
        double textCosine = Double.NaN;
        double contextCosine = Double.NaN;
        MemoryDocument document;
        double[] features;

        Candidate(int doc) {
            this.doc = doc;
        }
    }

    private List<MemoryHit> rank(List<Candidate> candidates, int k) {
        long now = clock.millis();
        double halfLife = ranking.recencyHalfLife().toMillis();
        List<MemoryHit> hits = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            MemoryDocument d = c.document;
            double score = ranking.weights().score(c.features);
            if (ranking.semantic() && !Double.isNaN(c.textCosine) && score < ranking.minProbability()) {
                continue; // unrelated, by the model's own judgement
            }
            if (ranking.recencyWeight() > 0) {
                double age = Math.max(0, now - d.timestamp());
                double fresh = Math.pow(0.5, age / halfLife);
                score *= 1 - ranking.recencyWeight() + ranking.recencyWeight() * fresh;
            }
            if (ranking.confidenceWeight() > 0) {
                double confidence = Math.clamp(d.confidence(), 0, 1);
                score *= 1 - ranking.confidenceWeight() + ranking.confidenceWeight() * confidence;
            }
            hits.add(new MemoryHit(d, score));
        }
        hits.sort(Comparator.comparingDouble(MemoryHit::score).reversed()
                .thenComparing(h -> h.document().id()));
        return SourceOrder.apply(hits.subList(0, Math.min(k, hits.size())));
    }

    /**
     * BM25 of the candidates' conversations, for exactly the candidates: the conversation is a feature, not a list
     * of candidates (a memory is not found for what was said minutes around it, only ranked by it).
     */
    private void conversationWords(IndexSearcher searcher, List<Candidate> byDoc, Set<String> words)
            throws IOException {
        Map<Integer, Candidate> withConversation = new HashMap<>();
        List<BytesRef> keys = new ArrayList<>();
        for (Candidate c : byDoc) {
            if (c.document.conversation() != null) {
                withConversation.put(c.doc, c);
                keys.add(new BytesRef(key(c.document.userId(), c.document.id())));
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        Query only = new TermInSetQuery(KEY, keys);
        for (ScoreDoc sd : searcher.search(lexical(searcher, CONVERSATION, words, only), keys.size()).scoreDocs) {
            withConversation.get(sd.doc).conversationWords = sd.score; // the same searcher: the same doc ids
        }
    }

    /** Whether the query names the speaker (by their first name: "Sarah" for "Sarah Lee"). */
    private static boolean named(String speaker, Set<String> queryWords) {
        if (speaker == null || speaker.isBlank()) {
            return false;
        }
        return queryWords.contains(speaker.strip().split("\\s+")[0].toLowerCase(Locale.ROOT));
    }

    /** The cosine of the query with each candidate's vector in a field, for those that have one (in doc order). */
    private static void cosines(IndexSearcher searcher, List<Candidate> byDoc, String field, float[] query,
                                ObjDoubleConsumer<Candidate> sink) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int at = 0;
        for (LeafReaderContext leaf : leaves) {
            int end = leaf.docBase + leaf.reader().maxDoc();
            FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
            KnnVectorValues.DocIndexIterator it = values == null ? null : values.iterator();
            for (; at < byDoc.size() && byDoc.get(at).doc < end; at++) {
                Candidate c = byDoc.get(at);
                int local = c.doc - leaf.docBase;
                if (it != null && (it.docID() < local ? it.advance(local) : it.docID()) == local) {
                    sink.accept(c, VectorUtil.dotProduct(query, values.vectorValue(it.index())));
                }
            }
        }
    }

    private static MemoryDocument fromLucene(Document doc) {
        return new MemoryDocument(doc.get(ID), doc.get(USER), doc.get(KIND), doc.get(CATEGORY), doc.get(TEXT),
                List.of(doc.getValues(REF)), doc.getField(TIME).numericValue().longValue(),
                doc.getField(CONFIDENCE).numericValue().doubleValue(), doc.get(SPEAKER), doc.get(CONTEXT),
                doc.get(CONVERSATION));
    }
}
