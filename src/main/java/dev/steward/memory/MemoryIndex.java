package dev.steward.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;

import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The hybrid memory index: Lucene BM25 over the text and HNSW over all-MiniLM-L6-v2 vectors, in one Lucene index per
 * deployment ({@code STEWARD_HOME/index}); users are a field, and every search is filtered by it. See
 * docs/memory-search.md for how results are ranked.
 *
 * <p>Thread-safe. A search sees every upsert and delete that returned before it started (near-real-time reopen on
 * demand). Changes are committed to disk at most {@value #COMMIT_INTERVAL_MS} ms after they happen (checked on the next
 * write) and on {@link #close()}.
 */
public final class MemoryIndex implements MemorySearch {
    static final long COMMIT_INTERVAL_MS = 2000;
    private static final int RRF_K = 60;
    private static final int MAX_QUERY_TERMS = 64;
    private static final int FEEDBACK_DOCS = 3;
    private static final float FEEDBACK_WEIGHT = 0.3f;

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

    private final Directory directory;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Embedder embedder;
    private final Ranking ranking;
    private final Clock clock;
    private final AtomicBoolean changed = new AtomicBoolean();
    private final AtomicLong lastCommit = new AtomicLong(System.currentTimeMillis());

    /** The index under {@code stewardHome/index}, with the in-process MiniLM embedder and default ranking. */
    public static MemoryIndex open(Path stewardHome) {
        return new MemoryIndex(stewardHome.resolve("index"), Embedder.miniLm(), Ranking.defaults(), Clock.systemUTC());
    }

    public MemoryIndex(Path directory, Embedder embedder, Ranking ranking, Clock clock) {
        this.embedder = Objects.requireNonNull(embedder);
        this.ranking = Objects.requireNonNull(ranking);
        this.clock = Objects.requireNonNull(clock);
        try {
            this.directory = FSDirectory.open(directory);
            IndexWriterConfig config = new IndexWriterConfig(analyzer)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(64);
            this.writer = new IndexWriter(this.directory, config);
            this.searchers = new SearcherManager(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the memory index in " + directory, e);
        }
    }

    @Override
    public void upsert(MemoryDocument document) {
        upsertAll(List.of(document));
    }

    /** Adds or replaces several memories; embeds them in one batch (much faster than one by one). */
    public void upsertAll(List<MemoryDocument> documents) {
        documents.forEach(MemoryIndex::check);
        List<float[]> vectors = embedder.embedAll(documents.stream().map(MemoryDocument::text).toList());
        try {
            for (int i = 0; i < documents.size(); i++) {
                MemoryDocument d = documents.get(i);
                writer.updateDocument(new Term(KEY, key(d.userId(), d.id())), toLucene(d, vectors.get(i)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written();
    }

    @Override
    public void delete(String userId, String id) {
        try {
            writer.deleteDocuments(new Term(KEY, key(userId, id)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written();
    }

    @Override
    public void deleteAll(String userId) {
        try {
            writer.deleteDocuments(new Term(USER, Objects.requireNonNull(userId)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written();
    }

    @Override
    public List<MemoryHit> search(MemoryQuery query) {
        Objects.requireNonNull(query.userId(), "userId");
        if (query.k() <= 0 || query.text() == null || query.text().isBlank()) {
            return List.of();
        }
        int n = Math.max(ranking.candidates(), 2 * query.k());
        Query filter = filter(query);
        try {
            if (changed.getAndSet(false)) {
                searchers.maybeRefreshBlocking();
            }
            IndexSearcher searcher = searchers.acquire();
            try {
                Map<String, Float> words = words(query.text());
                TopDocs lexical = words.isEmpty() ? null : searcher.search(lexical(searcher, words, filter), n);
                TopDocs semantic = null;
                if (ranking.lexicalWeight() < 1) {
                    float[] vector = embedder.embed(query.text());
                    semantic = searcher.search(new KnnFloatVectorQuery(VECTOR, vector, n, filter), n);
                }
                Map<Integer, Candidate> candidates = fuse(lexical, semantic);
                if (ranking.expansionTerms() > 0 && lexical != null && !candidates.isEmpty()) {
                    // pseudo-relevance feedback: the best memories' distinctive words join the lexical query
                    expand(searcher, candidates, words);
                    candidates = fuse(searcher.search(lexical(searcher, words, filter), n), semantic);
                }
                return rank(searcher, candidates, query.k());
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes pending changes to disk now. */
    public void commit() {
        try {
            writer.commit();
            lastCommit.set(System.currentTimeMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
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

    private Document toLucene(MemoryDocument d, float[] vector) {
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
        for (String ref : d.sourceRefs()) {
            doc.add(new StoredField(REF, ref));
        }
        doc.add(new LongPoint(TIME, d.timestamp()));
        doc.add(new StoredField(TIME, d.timestamp()));
        doc.add(new StoredField(CONFIDENCE, d.confidence()));
        doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        return doc;
    }

    private void written() {
        changed.set(true);
        long now = System.currentTimeMillis();
        long last = lastCommit.get();
        if (now - last >= COMMIT_INTERVAL_MS && lastCommit.compareAndSet(last, now)) {
            commit();
        }
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

    /** The analysed words of a text, each with weight 1. */
    private Map<String, Float> words(String text) throws IOException {
        Map<String, Float> terms = new LinkedHashMap<>();
        try (TokenStream ts = analyzer.tokenStream(TEXT, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
                terms.put(term.toString(), 1f);
            }
            ts.end();
        }
        return terms;
    }

    /**
     * BM25 over weighted words (no query syntax: user text is never parsed as operators). A word the index has never
     * seen is probably misspelt: it matches its near spellings instead.
     */
    private static Query lexical(IndexSearcher searcher, Map<String, Float> words, Query filter) throws IOException {
        BooleanQuery.Builder any = new BooleanQuery.Builder();
        for (Map.Entry<String, Float> w : words.entrySet()) {
            String t = w.getKey();
            Term term = new Term(TEXT, t);
            boolean unknown = t.length() >= 4 && searcher.getIndexReader().docFreq(term) == 0;
            Query q = unknown ? new FuzzyQuery(term, t.length() >= 7 ? 2 : 1, 1) : new TermQuery(term);
            any.add(w.getValue() == 1f ? q : new BoostQuery(q, w.getValue()), BooleanClause.Occur.SHOULD);
        }
        return new BooleanQuery.Builder()
                .add(any.build(), BooleanClause.Occur.MUST)
                .add(filter, BooleanClause.Occur.FILTER)
                .build();
    }

    /** Adds the most distinctive words (tf-idf) of the best few candidates to the query, at a fraction of its weight. */
    private void expand(IndexSearcher searcher, Map<Integer, Candidate> candidates, Map<String, Float> words)
            throws IOException {
        StoredFields stored = searcher.storedFields();
        int docs = Math.max(1, searcher.getIndexReader().numDocs());
        Map<String, Double> weights = new HashMap<>();
        List<Candidate> best = candidates.values().stream()
                .sorted(Comparator.comparingDouble((Candidate c) -> c.score).reversed()).limit(FEEDBACK_DOCS).toList();
        for (Candidate c : best) {
            for (Map.Entry<String, Float> w : words(stored.document(c.doc).get(TEXT)).entrySet()) {
                if (!words.containsKey(w.getKey())) {
                    int df = searcher.getIndexReader().docFreq(new Term(TEXT, w.getKey()));
                    weights.merge(w.getKey(), Math.log(1 + (docs - df + 0.5) / (df + 0.5)), Double::sum);
                }
            }
        }
        double max = weights.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        weights.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(ranking.expansionTerms())
                .forEach(e -> words.put(e.getKey(), (float) (FEEDBACK_WEIGHT * e.getValue() / max)));
    }

    private static final class Candidate {
        final int doc;
        double score;

        Candidate(int doc) {
            this.doc = doc;
        }
    }

    private Map<Integer, Candidate> fuse(TopDocs lexical, TopDocs semantic) {
        Map<Integer, Candidate> candidates = new HashMap<>();
        if (lexical != null) {
            fuse(candidates, lexical, ranking.lexicalWeight(), true);
        }
        if (semantic != null) {
            fuse(candidates, semantic, 1 - ranking.lexicalWeight(), false);
        }
        return candidates;
    }

    private void fuse(Map<Integer, Candidate> candidates, TopDocs top, double weight, boolean lexical) {
        ScoreDoc[] docs = top.scoreDocs;
        if (!lexical) {
            // DOT_PRODUCT scores are (1 + cosine) / 2
            float min = (float) ((1 + ranking.minSimilarity()) / 2);
            int kept = 0;
            while (kept < docs.length && docs[kept].score >= min) {
                kept++;
            }
            docs = java.util.Arrays.copyOf(docs, kept);
        }
        if (docs.length == 0 || weight == 0) {
            return;
        }
        double max = docs[0].score;
        double min = docs[docs.length - 1].score;
        for (int rank = 0; rank < docs.length; rank++) {
            double contribution = switch (ranking.fusion()) {
                case RECIPROCAL_RANK -> weight / (RRF_K + rank + 1);
                case SCORE_MIX -> weight * (lexical
                        ? (max > 0 ? docs[rank].score / max : 0)
                        : (max > min ? (docs[rank].score - min) / (max - min) : 1));
            };
            candidates.computeIfAbsent(docs[rank].doc, Candidate::new).score += contribution;
        }
    }

    private List<MemoryHit> rank(IndexSearcher searcher, Map<Integer, Candidate> candidates, int k) throws IOException {
        StoredFields stored = searcher.storedFields();
        long now = clock.millis();
        double halfLife = ranking.recencyHalfLife().toMillis();
        List<MemoryHit> hits = new ArrayList<>(candidates.size());
        for (Candidate c : candidates.values()) {
            MemoryDocument d = fromLucene(stored.document(c.doc));
            double score = c.score;
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
        return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
    }

    private static MemoryDocument fromLucene(Document doc) {
        return new MemoryDocument(doc.get(ID), doc.get(USER), doc.get(KIND), doc.get(CATEGORY), doc.get(TEXT),
                List.of(doc.getValues(REF)), doc.getField(TIME).numericValue().longValue(),
                doc.getField(CONFIDENCE).numericValue().doubleValue());
    }
}
