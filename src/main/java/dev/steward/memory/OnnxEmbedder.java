package dev.steward.memory;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A sentence-embedding model running in-process through ONNX Runtime (the model ships inside a Maven artifact). The
 * model loads on the first call, so a process that never runs a semantic search never pays for it.
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

    private final String name;
    private final int dimension;
    private final double relatedSimilarity;
    private final String queryPrefix;
    private final String documentPrefix;
    private final Supplier<EmbeddingModel> loader;
    private volatile EmbeddingModel model;

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
        return vector(queryPrefix + text);
    }

    private float[] vector(String input) {
        return Vectors.normalize(model().embed(input).content().vector());
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        List<Embedding> embeddings = model().embedAll(texts.stream().map(t -> TextSegment.from(documentPrefix + t)).toList()).content();
        return embeddings.stream().map(e -> Vectors.normalize(e.vector())).toList();
    }
}
