package dev.steward.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * How the memory index is changed: each change under Lucene's index lock, with the changes that arrive meanwhile
 * applied and committed together; in a server, into a long-lived writer ({@link HeldWriter}) committed every so often
 * instead. Thread-safe.
 */
final class IndexWrites {
    static final Duration LOCK_WAIT = Duration.ofSeconds(30);

    private final Directory directory;
    private final Path path;
    private final Analyzer analyzer;
    private final Object writeLock = new Object();
    /** A server's long-lived writer (see {@link #holdWriter}); null where each write commits. */
    private volatile HeldWriter held;
    /** Changes waiting for the next commit; whoever holds {@link #writeLock} commits them all at once. */
    private final Queue<QueuedChange> queued = new ConcurrentLinkedQueue<>();

    IndexWrites(Directory directory, Path path, Analyzer analyzer) {
        this.directory = directory;
        this.path = path;
        this.analyzer = analyzer;
    }

    /** See {@link MemoryIndex#holdWriter}. */
    void holdWriter(Duration every) {
        synchronized (writeLock) {
            if (held == null) {
                held = new HeldWriter(directory, path, this::writerConfig, writeLock, every);
            }
        }
    }

    /** The long-lived writer searches should follow, or null. */
    IndexWriter heldWriter() {
        HeldWriter h = held;
        return h == null ? null : h.current();
    }

    /** Commits what a held writer holds, and stops its committer. */
    void close() {
        HeldWriter h = held;
        if (h != null) {
            h.close();
        }
    }

    interface Change {
        void apply(IndexWriter writer) throws IOException;
    }

    /** @param durable committed at once even with a held writer (a purge must leave the files now) */
    private record QueuedChange(Change change, boolean durable, CompletableFuture<Void> done) {}

    /**
     * Applies a change under Lucene's index lock and commits it; returns once it is committed. Changes that arrive
     * while another thread commits are committed together by the next thread in, so that concurrent writers share
     * one writer and one commit instead of each paying for both. The lock is held only for this, so that other
     * processes can write too; a writer that finds it taken waits for up to {@link #LOCK_WAIT}.
     */
    void write(Change change) {
        write(change, false);
    }

    void write(Change change, boolean durable) {
        QueuedChange mine = new QueuedChange(change, durable, new CompletableFuture<>());
        queued.add(mine);
        synchronized (writeLock) {
            if (!mine.done().isDone()) {
                List<QueuedChange> batch = new ArrayList<>();
                for (QueuedChange next; (next = queued.poll()) != null; ) {
                    batch.add(next);
                }
                commit(batch);
            }
        }
        try {
            mine.done().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new UncheckedIOException(
                    "cannot write the memory index in " + path, (IOException) e.getCause());
        }
    }

    private IndexWriterConfig writerConfig() {
        return new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(64);
    }

    /**
     * Applies each change of the batch (one that fails fails alone) and commits those that applied; with a held
     * writer, into it, committed now only if a change of the batch asks for it.
     */
    private void commit(List<QueuedChange> batch) {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            HeldWriter holding = held;
            IndexWriter writer = null;
            try {
                writer = holding != null ? holding.open() : new IndexWriter(directory, writerConfig());
                List<QueuedChange> applied = new ArrayList<>();
                for (QueuedChange each : batch) {
                    try {
                        each.change().apply(writer);
                        applied.add(each);
                    } catch (IOException | RuntimeException e) {
                        each.done().completeExceptionally(e);
                    }
                }
                if (holding == null) {
                    writer.commit();
                    writer.close();
                } else if (batch.stream().anyMatch(QueuedChange::durable)) {
                    holding.commitAndClose();
                }
                applied.forEach(each -> each.done().complete(null));
                return;
            } catch (LockObtainFailedException busy) {
                if (System.nanoTime() > deadline) {
                    fail(batch, new IllegalStateException("the memory index in " + path + " stayed locked by "
                            + "another process for " + LOCK_WAIT.toSeconds() + " s (the lock ends with the process "
                            + "that holds it): let a running import or reindex finish, or stop the steward process "
                            + "that hangs, and try again", busy));
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail(batch, new IllegalStateException("interrupted while waiting for the memory index lock", e));
                    return;
                }
            } catch (IOException e) {
                fail(batch, new UncheckedIOException("cannot write the memory index in " + path, e));
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(batch, new IllegalStateException("interrupted while opening the memory index", e));
                return;
            } finally {
                if (holding == null && writer != null) {
                    closeQuietly(writer);
                }
            }
        }
    }

    private static void closeQuietly(IndexWriter writer) {
        try {
            writer.close(); // after a failed change or commit; closing a closed writer does nothing
        } catch (IOException | RuntimeException e) {
            // the change already failed with its own error
        }
    }

    private static void fail(List<QueuedChange> batch, RuntimeException error) {
        batch.forEach(each -> each.done().completeExceptionally(error));
    }
}
