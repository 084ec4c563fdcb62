package dev.steward.memory;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.output.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A BERT sentence encoder (mean pooling) that runs several texts through ONNX Runtime in <em>one</em> inference,
 * padded to the longest of them. langchain4j's model runs one inference per text; on two cores one e5-small-v2 query
 * costs about 12 ms of CPU alone and about 7 ms in a batch of eight (docs/benchmarks.md, "Batching the model"),
 * since every one of the model's few hundred operators has a fixed cost per run.
 *
 * <p>Vectors are those of langchain4j's {@code OnnxBertBiEncoder} (same model file, tokenizer and pooling; checked in
 * {@code BertBatchEncoderTest}). A text over the model's 512 tokens goes to that encoder, over the same session, which
 * splits it and averages the parts as before.
 */
final class BertBatchEncoder implements EmbeddingModel {
    /** Texts per inference; more only pads more (the CPU per text stops falling at about eight). */
    static final int MAX_BATCH = 16;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean typeIds;
    private final EmbeddingModel longTexts;

    private BertBatchEncoder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer,
                             EmbeddingModel longTexts) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.typeIds = session.getInputNames().contains("token_type_ids");
        this.longTexts = longTexts;
    }

    /** The model and tokenizer of a langchain4j model artifact, read from the class path. */
    static BertBatchEncoder fromClasspath(String modelResource, String tokenizerResource) {
        try {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(resource(modelResource).readAllBytes());
            Map<String, String> options = Map.of("padding", "false"); // as langchain4j's encoder
            HuggingFaceTokenizer tokenizer;
            try (InputStream in = resource(tokenizerResource)) {
                tokenizer = HuggingFaceTokenizer.newInstance(in, options);
            }
            OnnxBertBiEncoder whole;
            try (InputStream in = resource(tokenizerResource)) {
                whole = new OnnxBertBiEncoder(environment, session, in, PoolingMode.MEAN);
            }
            EmbeddingModel longTexts = new AbstractInProcessEmbeddingModel(OnnxEmbedder.CALLING_THREAD) {
                @Override
                protected OnnxBertBiEncoder model() {
                    return whole;
                }
            };
            return new BertBatchEncoder(environment, session, tokenizer, longTexts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding model " + modelResource, e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the embedding model " + modelResource + ": " + e.getMessage(),
                    e);
        }
    }

    private static InputStream resource(String name) {
        return Objects.requireNonNull(BertBatchEncoder.class.getClassLoader().getResourceAsStream(name),
                () -> name + " is missing from the class path (its langchain4j-embeddings artifact)");
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        float[][] vectors = new float[segments.size()][];
        List<Integer> shortOnes = new ArrayList<>();
        Encoding[] encodings = new Encoding[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            encodings[i] = tokenizer.encode(segments.get(i).text(), true, false);
            if (encodings[i].exceedMaxLength()) {
                vectors[i] = longTexts.embed(segments.get(i)).content().vector();
            } else {
                shortOnes.add(i);
            }
        }
        // Texts of similar length together, so that a batch pads as little as it can.
        shortOnes.sort(Comparator.comparingInt(i -> encodings[i].getIds().length));
        for (int from = 0; from < shortOnes.size(); from += MAX_BATCH) {
            List<Integer> batch = shortOnes.subList(from, Math.min(shortOnes.size(), from + MAX_BATCH));
            float[][] pooled = run(batch.stream().map(i -> encodings[i]).toList());
            for (int j = 0; j < batch.size(); j++) {
                vectors[batch.get(j)] = pooled[j];
            }
        }
        return Response.from(Arrays.stream(vectors).map(Embedding::from).toList());
    }

    /** One inference over the texts, padded to the longest; the mean of each text's own tokens' last hidden states. */
    private float[][] run(List<Encoding> texts) {
        int batch = texts.size();
        int length = texts.stream().mapToInt(e -> e.getIds().length).max().orElse(0);
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        for (int i = 0; i < batch; i++) {
            Encoding e = texts.get(i);
            System.arraycopy(e.getIds(), 0, ids, i * length, e.getIds().length);
            System.arraycopy(e.getAttentionMask(), 0, mask, i * length, e.getAttentionMask().length);
            System.arraycopy(e.getTypeIds(), 0, types, i * length, e.getTypeIds().length);
        }
        long[] shape = {batch, length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (typeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                float[][] pooled = new float[batch][];
                for (int i = 0; i < batch; i++) {
                    pooled[i] = meanOfMasked(hidden[i], mask, i * length);
                }
                return pooled;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("the embedding model failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] meanOfMasked(float[][] tokens, long[] mask, int offset) {
        float[] sum = new float[tokens[0].length];
        int count = 0;
        for (int t = 0; t < tokens.length; t++) {
            if (mask[offset + t] != 0) {
                count++;
                for (int d = 0; d < sum.length; d++) {
                    sum[d] += tokens[t][d];
                }
            }
        }
        for (int d = 0; d < sum.length; d++) {
            sum[d] /= count;
        }
        return sum;
    }
}
