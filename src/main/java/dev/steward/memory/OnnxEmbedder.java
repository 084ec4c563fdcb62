package dev.steward.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A sentence-embedding model running in-process through ONNX Runtime (the model ships inside a Maven artifact). The
 * model loads on the first call, so a process that never runs a semantic search never pays for it.
 *
 * <p>{@link #close()} waits for the inferences under way and refuses new ones: ONNX Runtime frees its native
 * environment from a JVM shutdown hook of its own, and an inference still running then (or when the process exits)
 * reads freed memory and kills the JVM with a SIGSEGV (issue 23).
 */
final class OnnxEmbedder implements Embedder {
    /**
     * Where the library runs the texts of one {@code embedAll}: on the thread that asked, one after another. Its
     * default is a pool of as many threads as cores, created and dropped again after a second idle, each running
     * the model with ONNX Runtime's own per-inference thread pool over the same cores: in a server, the background
     * embedder then took both cores from the requests whenever episodes waited, and every new thread brought its own
     * native allocations (docs/benchmarks.md, "Resident memory"). One inference already uses every core.
     */
    static final Executor CALLING_THREAD = Runnable::run;

    /** How long {@link #close()} waits for the inferences under way: one batch takes well under a second. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final int dimension;
    private final double relatedSimilarity;
    private final String queryPrefix;
    private final String documentPrefix;
    private final Supplier<EmbeddingModel> loader;
    private volatile EmbeddingModel model;
    /** Each inference holds the read lock; {@link #close()} takes the write lock, so it waits for them all. */
    private final ReentrantReadWriteLock inference = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** Concurrent queries share one inference (one e5 query alone costs about 1.7 times its share of a batch). */
    private final MicroBatcher queries = new MicroBatcher(this::vectors, BertBatchEncoder.MAX_BATCH);
    /** Recent queries' vectors: the same question asked again, or embedded by two parts of one chat, runs once. */
    private final Cache<String, float[]> recentQueries = Caffeine.newBuilder().maximumSize(QUERY_CACHE_SIZE).build();

    /** Queries whose vectors are kept (1.6 KB each). */
    static final int QUERY_CACHE_SIZE = 2048;

    /**
     * @param queryPrefix    prepended to queries, for models trained with a query instruction
     * @param documentPrefix prepended to memories, for models trained with one for passages
     */
    OnnxEmbedder(String name, int dimension, double relatedSimilarity, String queryPrefix, String documentPrefix,
                 Supplier<EmbeddingModel> loader) {
        this.name = name;
        this.dimension = dimension;
        this.relatedSimilarity = relatedSimilarity;
        this.queryPrefix = queryPrefix;
        this.documentPrefix = documentPrefix;
        this.loader = loader;
    }

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = loader.get();
                    model = m;
                }
            }
        }
        return m;
    }

    /** Whether the model has been loaded (it loads on the first embedding). */
    boolean loaded() {
        return model != null;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public double relatedSimilarity() {
        return relatedSimilarity;
    }

    @Override
    public float[] embed(String text) {
        return vector(documentPrefix + text);
    }

    @Override
    public float[] embedQuery(String text) {
        refuseIfClosed();
        float[] known = recentQueries.getIfPresent(text);
        if (known == null) {
            // Not computed inside the cache: a mapping function would hold a lock of the cache's map for an inference.
            known = queries.embed(queryPrefix + text);
            recentQueries.put(text, known);
        }
        return known.clone();
    }

    private float[] vector(String input) {
        return infer(m -> Vectors.normalize(m.embed(input).content().vector()));
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return vectors(texts.stream().map(t -> documentPrefix + t).toList());
    }

    /** The vectors of texts that already carry their prefix, in one call of the model. */
    private List<float[]> vectors(List<String> inputs) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        List<Embedding> embeddings = infer(m -> m.embedAll(inputs.stream().map(TextSegment::from).toList())
                .content());
        return embeddings.stream().map(e -> Vectors.normalize(e.vector())).toList();
    }

    /** Runs one inference unless the embedder is closed; {@link #close()} waits for it. */
    private <T> T infer(Function<EmbeddingModel, T> call) {
        refuseIfClosed(); // at once: while a close waits, the lock would hold this caller until it is done
        Lock use = inference.readLock();
        use.lock();
        try {
            refuseIfClosed();
            return call.apply(model());
        } finally {
            use.unlock();
        }
    }

    private void refuseIfClosed() {
        if (closed) {
            throw new IllegalStateException("the embedding model " + name + " is closed (Steward is stopping);"
                    + " embed with a new embedder, or before closing it");
        }
    }

    /**
     * Refuses new inferences and waits (at most {@link #CLOSE_WAIT}) for those under way, then lets the model go.
     * The session itself belongs to the library, one per model and process, and is freed when the process exits,
     * which is safe once nothing runs in it.
     *
     * @return whether every inference finished in time
     */
    @Override
    public boolean close() {
        closed = true;
        Lock exclusive = inference.writeLock();
        try {
            if (!exclusive.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            model = null;
            return true;
        } finally {
            exclusive.unlock();
        }
    }
}
