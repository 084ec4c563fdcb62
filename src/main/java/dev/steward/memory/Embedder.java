package dev.steward.memory;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;

/**
 * Turns text into a vector for semantic search. The production embedders run in-process ({@link #miniLm()},
 * {@link #bgeSmall()}) and load their model on first use; tests that do not need meaning can use
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
     * unrelated sentences near 0, bge-small near 0.4.
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
     * The production embedder: bge-small-en-v1.5 (quantised). On LoCoMo it finds 2 points more of the evidence in
     * the first 5 and 10 than all-MiniLM-L6-v2 at about the same speed (docs/benchmarks.md).
     */
    static Embedder production() {
        return bgeSmall();
    }

    /** all-MiniLM-L6-v2 (384 dimensions, 6 layers), bundled in a Maven artifact; the model loads on the first call. */
    static Embedder miniLm() {
        return new OnnxEmbedder("all-minilm-l6-v2", 384, 0.2, "", AllMiniLmL6V2EmbeddingModel::new);
    }

    /**
     * bge-small-en-v1.5, int8-quantised (384 dimensions, 12 layers), bundled in a Maven artifact; queries carry the
     * model's retrieval instruction.
     */
    static Embedder bgeSmall() {
        return new OnnxEmbedder("bge-small-en-v1.5-q", 384, 0.55,
                "Represent this sentence for searching relevant passages: ", BgeSmallEnV15QuantizedEmbeddingModel::new);
    }

    /** A fast, meaning-blind embedder (hashed words): for tests of everything but semantics. */
    static Embedder hashing(int dimension) {
        return new HashingEmbedder(dimension);
    }

    /** The embedder of a name: minilm, bge-small or hashing (384 dimensions). */
    static Embedder named(String name) {
        return switch (name) {
            case "minilm" -> miniLm();
            case "bge-small" -> bgeSmall();
            case "hashing" -> hashing(384);
            default -> throw new IllegalArgumentException("unknown embedder '" + name
                    + "': use minilm, bge-small or hashing");
        };
    }
}
