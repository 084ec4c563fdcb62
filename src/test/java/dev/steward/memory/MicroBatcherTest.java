package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Concurrent queries share inferences, each gets its own text's vector, and a failed batch fails its callers. */
class MicroBatcherTest {

    /** A model whose first batch waits until the test lets it go, so that the other callers queue up meanwhile. */
    static final class GatedModel {
        final CountDownLatch firstEntered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<List<String>> batches = new CopyOnWriteArrayList<>();

        List<float[]> embed(List<String> texts) {
            batches.add(texts);
            if (batches.size() == 1) {
                firstEntered.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return texts.stream().map(t -> new float[] {t.length(), t.hashCode()}).toList();
        }
    }

    @Test
    void callersThatArriveWhileOneBatchRunsShareTheNextAndEachGetsItsOwnVector() throws Exception {
        GatedModel model = new GatedModel();
        MicroBatcher batcher = new MicroBatcher(model::embed, 4);
        Map<String, float[]> answers = new ConcurrentHashMap<>();
        List<Thread> callers = new ArrayList<>();
        callers.add(Thread.ofVirtual().start(() -> answers.put("first", batcher.embed("first"))));
        assertThat(model.firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 6; i++) {
            String text = "text " + i;
            callers.add(Thread.ofVirtual().start(() -> answers.put(text, batcher.embed(text))));
        }
        Thread.sleep(200); // the six queue behind the first batch
        model.release.countDown();
        for (Thread t : callers) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }

        assertThat(answers).hasSize(7);
        answers.forEach((text, vector) -> assertThat(vector).containsExactly(text.length(), text.hashCode()));
        assertThat(model.batches.getFirst()).containsExactly("first");
        assertThat(model.batches.subList(1, model.batches.size())).as("six callers in batches of at most four")
                .hasSize(2).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(4));
    }

    @Test
    void aCallerAloneRunsAtOnceInABatchOfOne() {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        MicroBatcher batcher = new MicroBatcher(texts -> {
            batches.add(texts);
            return texts.stream().map(t -> new float[] {1}).toList();
        }, 8);

        batcher.embed("alone");
        batcher.embed("again");

        assertThat(batches).containsExactly(List.of("alone"), List.of("again"));
    }

    @Test
    void aFailedBatchFailsEveryCallerInItAndTheNextBatchRunsAgain() {
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        MicroBatcher batcher = new MicroBatcher(texts -> {
            batches.add(texts);
            if (texts.contains("bad")) {
                throw new IllegalStateException("the embedding model failed: out of memory");
            }
            return texts.stream().map(t -> new float[] {2}).toList();
        }, 8);

        assertThatThrownBy(() -> batcher.embed("bad")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("out of memory");
        assertThat(batcher.embed("good")).containsExactly(2);
    }
}
