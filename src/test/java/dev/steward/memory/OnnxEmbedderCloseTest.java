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

    /**
     * Stands for the ONNX session: every inference waits for {@link #finish} (so the test knows one is under way when
     * it closes), and counts itself if it ends after the memory was freed.
     */
    static final class NativeModel implements EmbeddingModel {
        final AtomicBoolean freed = new AtomicBoolean();
        final AtomicInteger inferences = new AtomicInteger();
        final AtomicInteger inFreedMemory = new AtomicInteger();
        final CountDownLatch finish;
        final CountDownLatch entered;

        NativeModel(int callers) {
            finish = new CountDownLatch(1);
            entered = new CountDownLatch(callers);
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            inferences.incrementAndGet();
            entered.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (freed.get()) {
                inFreedMemory.incrementAndGet();
            }
            return Response.from(segments.stream().map(s -> Embedding.from(new float[] {1, s.text().length()}))
                    .toList());
        }
    }

    @Test
    void closeWaitsForTheInferencesUnderWayAndRefusesLaterOnes() throws Exception {
        int threads = 4;
        NativeModel session = new NativeModel(threads);
        OnnxEmbedder embedder = new OnnxEmbedder("test-model", 2, 0.2, "query: ", "passage: ", () -> session);
        List<Throwable> endings = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            boolean batches = i > 0; // one query thread: concurrent queries share one inference (MicroBatcher)
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    while (true) {
                        if (batches) {
                            embedder.embedAll(List.of("an episode", "another one"));
                        } else {
                            embedder.embedQuery("what did I say?");
                        }
                    }
                } catch (Throwable e) {
                    endings.add(e);
                }
            }));
        }
        assertThat(session.entered.await(10, TimeUnit.SECONDS)).as("every thread is inside the model").isTrue();
        AtomicBoolean closedInTime = new AtomicBoolean();
        Thread closer = Thread.ofPlatform().start(() -> {
            closedInTime.set(embedder.close());
            session.freed.set(true); // what ONNX Runtime's shutdown hook does as soon as Steward has stopped
        });

        closer.join(200);
        assertThat(closer.isAlive()).as("close waits while inferences are under way").isTrue();
        assertThatThrownBy(() -> embedder.embed("asked while closing"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        session.finish.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(10));
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertThat(closedInTime).as("every inference finished within the wait").isTrue();
        assertThat(session.inferences).hasValue(threads);
        assertThat(session.inFreedMemory).as("inferences ending in the freed model").hasValue(0);
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
            return new NativeModel(1);
        });

        assertThat(embedder.close()).isTrue();

        assertThat(loads).hasValue(0);
        assertThatThrownBy(() -> embedder.embedAll(List.of("x"))).isInstanceOf(IllegalStateException.class);
        assertThat(loads).hasValue(0);
    }
}
