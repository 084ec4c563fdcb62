package dev.steward.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Embeds the texts that concurrent callers ask for together, in one inference: a caller queues its text and, unless
 * the batch under way already took it, runs the next batch with everything queued meanwhile (up to a limit). No
 * timer and no waiting for company: alone, a caller runs a batch of one at once; under load, the callers that arrive
 * while one batch runs share the next. A failed batch fails each of its callers.
 */
final class MicroBatcher {
    private record Request(String text, CompletableFuture<float[]> vector) {}

    private final Function<List<String>, List<float[]>> model;
    private final int maxBatch;
    private final Queue<Request> queued = new ConcurrentLinkedQueue<>();
    private final ReentrantLock running = new ReentrantLock();

    /** @param model embeds a batch of texts, in order; called by one thread at a time */
    MicroBatcher(Function<List<String>, List<float[]>> model, int maxBatch) {
        this.model = model;
        this.maxBatch = maxBatch;
    }

    float[] embed(String text) {
        Request mine = new Request(text, new CompletableFuture<>());
        queued.add(mine);
        while (!mine.vector().isDone()) {
            running.lock();
            try {
                if (!mine.vector().isDone()) {
                    runBatch();
                }
            } finally {
                running.unlock();
            }
        }
        try {
            return mine.vector().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Runs the oldest queued texts (ours among them: we queued before taking the lock, and the queue is FIFO). */
    private void runBatch() {
        List<Request> batch = new ArrayList<>();
        for (Request next; batch.size() < maxBatch && (next = queued.poll()) != null; ) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<float[]> vectors = model.apply(batch.stream().map(Request::text).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).vector().complete(vectors.get(i));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(r -> r.vector().completeExceptionally(e));
        }
    }
}
