package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.e5smallv2.E5SmallV2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The batched e5-small-v2 gives the vectors langchain4j's own model gives one text at a time, so an index embedded
 * before keeps matching queries embedded now: short and long texts, accents and symbols, a batch padded around texts
 * of very different lengths, and a text over the model's 512 tokens.
 */
class BertBatchEncoderTest {
    static BertBatchEncoder batched;
    static E5SmallV2EmbeddingModel oneByOne;

    @BeforeAll
    static void load() {
        batched = BertBatchEncoder.fromClasspath("e5-small-v2.onnx", "e5-small-v2-tokenizer.json");
        oneByOne = new E5SmallV2EmbeddingModel(OnnxEmbedder.CALLING_THREAD);
    }

    @Test
    void aBatchOfTextsOfDifferentLengthsGetsTheVectorsOfEachTextEmbeddedAlone() {
        List<String> texts = new ArrayList<>(List.of(
                "query: what is the status of milestone 7 of Harbor?",
                "passage: You said: remember that my dentist is Dr. Müller in Zürich\nI answered: Noted — Dr. Müller.",
                "query: hi",
                "passage: Café déjà vu: 3½ × 2 = 7 (approx.) — naïve façade, résumé, 東京, emoji 🙂, and tabs\tinside.",
                "passage: " + "The quarterly report covers revenue, costs and the hiring plan for the next year. ".repeat(8)));
        List<float[]> vectors = vectors(batched, texts);

        for (int i = 0; i < texts.size(); i++) {
            float[] alone = Vectors.normalize(oneByOne.embed(texts.get(i)).content().vector());
            assertThat(cosine(vectors.get(i), alone)).as(texts.get(i)).isGreaterThan(0.99999);
        }
    }

    @Test
    void aTextOverTheModelsLengthIsSplitAndAveragedAsBefore() {
        String longText = "passage: " + "Every sitting of the board records who attended and what was decided. "
                .repeat(60);
        float[] before = Vectors.normalize(oneByOne.embed(longText).content().vector());

        List<float[]> now = vectors(batched, List.of("query: short one", longText));

        assertThat(cosine(now.get(1), before)).isGreaterThan(0.99999);
    }

    @Test
    void moreTextsThanOneBatchComeBackInTheirOrder() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < BertBatchEncoder.MAX_BATCH * 2 + 3; i++) {
            texts.add("query: " + "word ".repeat(i % 7 + 1) + "number " + i);
        }
        List<float[]> vectors = vectors(batched, texts);

        assertThat(vectors).hasSize(texts.size());
        for (int i : new int[] {0, 5, BertBatchEncoder.MAX_BATCH, texts.size() - 1}) {
            assertThat(cosine(vectors.get(i), vectors(batched, List.of(texts.get(i))).getFirst()))
                    .as(texts.get(i)).isGreaterThan(0.99999);
        }
    }

    private static List<float[]> vectors(BertBatchEncoder model, List<String> texts) {
        return model.embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(e -> Vectors.normalize(e.vector())).toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
