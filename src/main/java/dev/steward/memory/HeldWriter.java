package dev.steward.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * A long-lived {@link IndexWriter} for a server: changes go into it and are searchable at once through near-real-time
 * readers, and are committed together every {@code every} by a daemon thread instead of one writer and one commit per
 * change (opening, committing and closing a writer per chat was a seventh of the server's Java time).
 *
 * <p><b>Other processes.</b> Lucene lets one writer at a time hold the index. At each commit the writer is closed and
 * stays closed for {@link #DOOR}, longer than a waiting writer's poll, so that a CLI command that writes (which waits
 * for the lock) gets its turn; the next change here opens a writer again, on the newest commit, so it sees the CLI's
 * changes too. What this process wrote reaches other processes with the commit, at most {@code every} later.
 *
 * <p><b>A crash.</b> Changes not yet committed live only in this process. While there are any, a marker file sits in
 * the index folder; an index that opens with the marker there and its write lock free (the process that held it is
 * gone) was left behind by a crash, and is rebuilt from the database, which is the source of truth — as a damaged
 * index is (see {@link #leftByACrash}). All callers run under the index's write lock object.
 */
final class HeldWriter {
    /** The file that says "changes here are not committed yet"; never one of Lucene's names. */
    static final String MARKER = "steward-uncommitted";
    /** How long the writer stays closed after each commit, so that another process may take the index. */
    static final Duration DOOR = Duration.ofMillis(30);

    private final Directory directory;
    private final Path marker;
    private final Supplier<IndexWriterConfig> config;
    private final Object lock;
    private final Thread committer;
    /** The open writer, or null; readers look at it to follow uncommitted changes. */
    private volatile IndexWriter writer;
    private boolean dirty;
    private long closedAt;

    HeldWriter(Directory directory, Path folder, Supplier<IndexWriterConfig> config, Object lock, Duration every) {
        this.directory = directory;
        this.marker = folder.resolve(MARKER);
        this.config = config;
        this.lock = lock;
        this.committer = Thread.ofPlatform().daemon().name("steward-memory-commit").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(every);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (lock) {
                    try {
                        commitAndClose();
                    } catch (IOException | RuntimeException e) {
                        // kept dirty: the next round tries again, and the marker stays until it succeeds
                    }
                }
            }
        });
    }

    /** Whether the index in {@code folder} holds the marker of uncommitted changes and no live process holds it. */
    static boolean leftByACrash(Directory directory, Path folder) throws IOException {
        if (!Files.exists(folder.resolve(MARKER))) {
            return false;
        }
        try (Lock free = directory.obtainLock(IndexWriter.WRITE_LOCK_NAME)) {
            return true;
        } catch (LockObtainFailedException held) {
            return false; // a running process holds the index and these changes
        }
    }

    /** The open writer (opening one if there is none), about to be changed; call with the lock held. */
    IndexWriter open() throws IOException, InterruptedException {
        if (writer == null) {
            long wait = closedAt + DOOR.toNanos() - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
            writer = new IndexWriter(directory, config.get()); // LockObtainFailedException: the caller waits
        }
        if (!dirty) {
            Files.writeString(marker, "changes of a running steward not committed yet\n");
            dirty = true;
        }
        return writer;
    }

    /** The writer readers should follow, or null when there is none. */
    IndexWriter current() {
        return writer;
    }

    /** Commits what there is and closes the writer, so that the index is whole on disk; call with the lock held. */
    void commitAndClose() throws IOException {
        IndexWriter open = writer;
        if (open == null) {
            return;
        }
        open.commit();
        writer = null;
        open.close();
        closedAt = System.nanoTime();
        if (dirty) {
            Files.deleteIfExists(marker);
            dirty = false;
        }
    }

    /** Stops the committer and commits what is left. */
    void close() {
        committer.interrupt();
        try {
            committer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            try {
                commitAndClose();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot commit the memory index", e);
            }
        }
    }
}
