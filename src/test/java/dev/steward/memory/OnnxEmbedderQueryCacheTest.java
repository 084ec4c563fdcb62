package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A query asked again is answered from the recent queries' vectors; memories are always embedded. */
class OnnxEmbedderQueryCacheTest {

    @Test
    void theSameQueryRunsTheModelOnceAndEachCallerGetsItsOwnCopy() {
        List<String> seen = new CopyOnWriteArrayList<>();
        EmbeddingModel model = new EmbeddingModel() {
            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                segments.forEach(s -> seen.add(s.text()));
                return Response.from(segments.stream().map(s -> Embedding.from(new float[] {1, s.text().length()}))
                        .toList());
            }
        };
        OnnxEmbedder embedder = new OnnxEmbedder("counting", 2, 0.2, "query: ", "passage: ", () -> model);

        float[] first = embedder.embedQuery("where is my passport?");
        first[0] = 42; // a caller changing its vector changes nobody else's
        float[] again = embedder.embedQuery("where is my passport?");
        embedder.embedQuery("where is my wallet?");
        embedder.embed("where is my passport?");
        embedder.embed("where is my passport?");

        assertThat(seen).containsExactly("query: where is my passport?", "query: where is my wallet?",
                "passage: where is my passport?", "passage: where is my passport?");
        assertThat(again).isEqualTo(Vectors.normalize(new float[] {1, "query: where is my passport?".length()}));
    }
}
