package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Closing an in-process embedder while other threads embed (issue 23): close waits for the inferences under way, so
 * that the native model may be freed as soon as it returns, and refuses every later one with a clear error.
 */
class OnnxEmbedderCloseTest {

    /** Stands for the ONNX session: counts every inference that runs while (or after) its memory is freed. */
    static final class NativeModel implements EmbeddingModel {
        final AtomicBoolean freed = new AtomicBoolean();
        final AtomicInteger inferences = new AtomicInteger();
        final AtomicInteger inFreedMemory = new AtomicInteger();

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            if (freed.get()) {
                inFreedMemory.incrementAndGet();
            }
            inferences.incrementAndGet();
            List<Embedding> out = new ArrayList<>();
            for (TextSegment s : segments) {
                try {
                    Thread.sleep(2); // long enough for a close to arrive in the middle
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (freed.get()) {
                    inFreedMemory.incrementAndGet();
                }
                out.add(Embedding.from(new float[] {1, s.text().length()}));
            }
            return Response.from(out);
        }
    }

    @Test
    void closeWaitsForTheInferencesUnderWayAndRefusesLaterOnes() throws Exception {
        NativeModel session = new NativeModel();
        OnnxEmbedder embedder = new OnnxEmbedder("test-model", 2, 0.2, "query: ", "passage: ", () -> session);
        int threads = 4;
        CountDownLatch started = new CountDownLatch(threads);
        List<Throwable> endings = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            boolean batches = i % 2 == 0;
            workers.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                try {
                    while (true) {
                        if (batches) {
                            embedder.embedAll(List.of("an episode", "another one", "and a third"));
                        } else {
                            embedder.embedQuery("what did I say?");
                        }
                    }
                } catch (Throwable e) {
                    endings.add(e);
                }
            }));
        }
        started.await();
        Thread.sleep(50);

        assertThat(embedder.close()).as("every inference finished within the wait").isTrue();
        session.freed.set(true); // what ONNX Runtime's shutdown hook does as soon as Steward has stopped
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertThat(session.inferences.get()).isPositive();
        assertThat(session.inFreedMemory.get()).as("inferences touching the freed model").isZero();
        assertThat(endings).hasSize(threads).allSatisfy(e -> assertThat(e)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the embedding model test-model is closed"));
        assertThatThrownBy(() -> embedder.embed("after the stop"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThat(embedder.close()).as("closing twice is harmless").isTrue();
    }

    @Test
    void closingAnEmbedderThatNeverLoadedItsModelDoesNotLoadIt() {
        AtomicInteger loads = new AtomicInteger();
        OnnxEmbedder embedder = new OnnxEmbedder("lazy", 2, 0.2, "", "", () -> {
            loads.incrementAndGet();
            return new NativeModel();
        });

        assertThat(embedder.close()).isTrue();

        assertThat(loads).hasValue(0);
        assertThatThrownBy(() -> embedder.embedAll(List.of("x"))).isInstanceOf(IllegalStateException.class);
        assertThat(loads).hasValue(0);
    }
}
