package dev.steward.memory;

import static dev.steward.memory.LuceneDocuments.CATEGORY;
import static dev.steward.memory.LuceneDocuments.CONTEXT;
import static dev.steward.memory.LuceneDocuments.CONTEXT_VECTOR;
import static dev.steward.memory.LuceneDocuments.CONVERSATION;
import static dev.steward.memory.LuceneDocuments.KEY;
import static dev.steward.memory.LuceneDocuments.KIND;
import static dev.steward.memory.LuceneDocuments.TEXT;
import static dev.steward.memory.LuceneDocuments.TIME;
import static dev.steward.memory.LuceneDocuments.USER;
import static dev.steward.memory.LuceneDocuments.VECTOR;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * What one search of {@link MemoryIndex} weighs: the candidates of its four lists (BM25 of text and context, nearest
 * text and context vectors), each with the features {@link Ranking.Weights} scores.
 */
final class CandidateSearch {
    private static final int MAX_QUERY_TERMS = 64;

    private final Analyzer analyzer;
    private final Embedder embedder;
    private final Ranking ranking;

    CandidateSearch(Analyzer analyzer, Embedder embedder, Ranking ranking) {
        this.analyzer = analyzer;
        this.embedder = embedder;
        this.ranking = ranking;
    }

    /** The candidates of the four lists, each with its document and features. */
    List<Candidate> candidates(IndexSearcher searcher, MemoryQuery query, Query filter) throws IOException {
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
            c.document = LuceneDocuments.fromLucene(stored.document(c.doc));
        }
        if (!words.isEmpty() && !all.isEmpty()) {
            conversationWords(searcher, all, words);
        }
        if (vector != null) {
            float[] q = vector;
            vectors(searcher, all, VECTOR, (c, v) -> {
                c.textCosine = VectorUtil.dotProduct(q, v);
                c.textVector = v.clone();
            });
            vectors(searcher, all, CONTEXT_VECTOR, (c, v) -> c.contextCosine = VectorUtil.dotProduct(q, v));
        }
        Set<String> queryWords = Set.copyOf(Terms.of(query.text()));
        double[][] features = Features.of(all.stream().map(c -> new Features.Raw(c.textWords,
                c.document.context() == null ? Double.NaN : c.contextWords,
                c.document.conversation() == null ? Double.NaN : c.conversationWords, c.textCosine,
                c.contextCosine, named(c.document.speaker(), queryWords))).toList());
        for (int i = 0; i < all.size(); i++) {
            all.get(i).features = features[i];
        }
        SecondHop.score(all);
        return all;
    }

    /** What the query selects: its user, and the categories, kinds and time it names. */
    static Query filter(MemoryQuery q) {
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
    static final class Candidate {
        final int doc;
        double textWords;
        double contextWords;
        double conversationWords;
        double textCosine = Double.NaN;
        double contextCosine = Double.NaN;
        /** Its text vector, for the second hop; null when it has none (yet) or vectors are off. */
        float[] textVector;
        MemoryDocument document;
        double[] features;

        Candidate(int doc) {
            this.doc = doc;
        }
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
                keys.add(new BytesRef(LuceneDocuments.key(c.document.userId(), c.document.id())));
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

    /** Each candidate's vector in a field, for those that have one (in doc order; the array is reused). */
    private static void vectors(IndexSearcher searcher, List<Candidate> byDoc, String field,
                                BiConsumer<Candidate, float[]> sink) throws IOException {
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
                    sink.accept(c, values.vectorValue(it.index()));
                }
            }
        }
    }
}
