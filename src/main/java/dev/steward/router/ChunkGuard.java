package dev.steward.router;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Passes chunks on to the caller and notes whether any went out (after which a failure cannot fall back
 * cleanly). While a local answer may still be escalated, it holds chunks back until {@link #release()}.
 */
final class ChunkGuard implements Consumer<ChatChunk> {
    private final Consumer<ChatChunk> target;
    private final List<ChatChunk> held;
    private volatile boolean emitted;
    private volatile long firstChunkNanos;

    ChunkGuard(Consumer<ChatChunk> target, boolean hold) {
        this.target = target;
        this.held = hold ? new ArrayList<>() : null;
    }

    @Override
    public void accept(ChatChunk chunk) {
        if (firstChunkNanos == 0) {
            firstChunkNanos = System.nanoTime();
        }
        if (held != null) {
            held.add(chunk);
            return;
        }
        emitted = true;
        target.accept(chunk);
    }

    boolean emitted() {
        return emitted;
    }

    void release() {
        if (held != null) {
            held.forEach(target);
            emitted = !held.isEmpty();
        }
    }

    Long ttft(long startedNanos) {
        return firstChunkNanos == 0 ? null : (firstChunkNanos - startedNanos) / 1_000_000;
    }
}
