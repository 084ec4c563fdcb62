package dev.steward.memory;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;

/**
 * Turns text into a vector for semantic search. The production embedders run in-process ({@link #e5Small()},
 * {@link #miniLm()}) and load their model on first use; tests that do not need meaning can use
 * {@link #hashing(int)}. Implementations are thread-safe and return unit-length vectors of {@link #dimension()}
 * floats.
 */
public interface Embedder {

    /** A short name that identifies the model: vectors of different embedders never mix in one index. */
    default String name() {
        return getClass().getName();
    }

    int dimension();

    /**
     * The cosine below which a memory is taken as unrelated to a query. Models differ widely: all-MiniLM-L6-v2 puts
     * unrelated sentences near 0, e5-small-v2 between 0.65 and 0.74 (and LoCoMo evidence above 0.75).
     */
    default double relatedSimilarity() {
        return 0.2;
    }

    /** The vector of a memory. */
    float[] embed(String text);

    /** The vector of a search; models trained with a query instruction add it here. */
    default float[] embedQuery(String text) {
        return embed(text);
    }

    default List<float[]> embedAll(List<String> texts) {
        return texts.stream().map(this::embed).toList();
    }

    /**
     * Stops this embedder before the process stops: new embeddings fail with an {@link IllegalStateException}, and
     * the call returns once those under way are done (bounded). A model running in native code must never be
     * running while the process frees it. Idempotent; nothing to do for an embedder without a model.
     *
     * @return whether everything under way finished in time
     */
    default boolean close() {
        return true;
    }

    /**
     * The production embedder: e5-small-v2. Under a ranking fitted for each model it finds 3.5 points more of the
     * LoCoMo evidence in the first 5 ids and 2.4 more in the first 10 than bge-small-en-v1.5 (docs/benchmarks.md).
     */
    static Embedder production() {
        return e5Small();
    }

    /**
     * e5-small-v2 (384 dimensions, 12 layers, fp32), bundled in a Maven artifact; queries and memories carry the
     * prefixes the model was trained with. Run in batches ({@link BertBatchEncoder}).
     */
    static Embedder e5Small() {
        return new OnnxEmbedder("e5-small-v2", 384, 0.74, "query: ", "passage: ",
                () -> BertBatchEncoder.fromClasspath("e5-small-v2.onnx", "e5-small-v2-tokenizer.json"));
    }

    /**
     * all-MiniLM-L6-v2 (384 dimensions, 6 layers) quantised to int8, bundled in a Maven artifact; the model loads on
     * the first call. The offline intent classifier's model: as accurate there as the fp32 model, at a quarter of the
     * size (docs/benchmarks.md, "Size").
     */
    static Embedder miniLm() {
        return new OnnxEmbedder("all-minilm-l6-v2-q", 384, 0.2, "", "",
                () -> new AllMiniLmL6V2QuantizedEmbeddingModel(OnnxEmbedder.CALLING_THREAD));
    }

    /** A fast, meaning-blind embedder (hashed words): for tests of everything but semantics. */
    static Embedder hashing(int dimension) {
        return new HashingEmbedder(dimension);
    }

    /** The embedder of a name: e5-small, minilm or hashing (384 dimensions). */
    static Embedder named(String name) {
        return switch (name) {
            case "minilm" -> miniLm();
            case "e5-small" -> e5Small();
            case "hashing" -> hashing(384);
            default -> throw new IllegalArgumentException("unknown embedder '" + name
                    + "': use e5-small, minilm or hashing");
        };
    }
}
