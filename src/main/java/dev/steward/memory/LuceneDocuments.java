package dev.steward.memory;

import java.util.List;
import java.util.Objects;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/** How {@link MemoryIndex} stores a memory: its fields, and the memory to a Lucene document and back. */
final class LuceneDocuments {
    /** The user and the memory's id together: a memory's identity in the shared index. */
    static final String KEY = "key";
    static final String ID = "id";
    static final String USER = "user";
    static final String KIND = "kind";
    static final String CATEGORY = "category";
    static final String TEXT = "text";
    static final String REF = "ref";
    static final String TIME = "time";
    static final String CONFIDENCE = "confidence";
    static final String VECTOR = "vector";
    static final String SPEAKER = "speaker";
    static final String CONTEXT = "context";
    static final String CONTEXT_VECTOR = "context_vector";
    static final String CONVERSATION = "conversation";
    /** Marks a memory whose vector is not computed yet. */
    private static final String PENDING = "pending";

    private LuceneDocuments() {}

    /** A memory's vectors: of its text, and of its context if it has one. */
    record Embedded(float[] text, float[] context) {}

    static String key(String userId, String id) {
        return Objects.requireNonNull(userId) + '\u001f' + Objects.requireNonNull(id);
    }

    static Term keyTerm(String userId, String id) {
        return new Term(KEY, key(userId, id));
    }

    /** The memories that wait for their vectors. */
    static Query pending() {
        return new TermQuery(new Term(PENDING, "1"));
    }

    static void check(MemoryDocument d) {
        Objects.requireNonNull(d.id(), "id");
        Objects.requireNonNull(d.userId(), "userId");
        Objects.requireNonNull(d.text(), "text");
    }

    /** A Lucene document; without vectors, it is marked pending. */
    static Document toLucene(MemoryDocument d, Embedded vectors) {
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

    static MemoryDocument fromLucene(Document doc) {
        return new MemoryDocument(doc.get(ID), doc.get(USER), doc.get(KIND), doc.get(CATEGORY), doc.get(TEXT),
                List.of(doc.getValues(REF)), doc.getField(TIME).numericValue().longValue(),
                doc.getField(CONFIDENCE).numericValue().doubleValue(), doc.get(SPEAKER), doc.get(CONTEXT),
                doc.get(CONVERSATION));
    }
}
