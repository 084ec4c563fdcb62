package dev.steward.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes writes off hot paths: callers queue them and return at once; one daemon thread commits whatever has
 * queued up in a single transaction. {@link #flush()} waits until everything queued so far is committed, so
 * readers that need their own writes (and a process about to exit) call it first.
 *
 * <p>Once woken by a write, the thread lets a few more arrive ({@link #LINGER}) before it commits: under load
 * that makes one transaction of many rows instead of a transaction (and a wake-up) per row; when all is quiet it
 * delays a row by about a millisecond. A flush never waits for the linger.
 */
public final class BackgroundWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWriter.class);
    private static final int MAX_BATCH = 500;
    static final Duration LINGER = Duration.ofMillis(1);

    private final Database database;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Thread flushOnExit;
    private volatile boolean closed;

    public BackgroundWriter(Database database, String name) {
        this.database = database;
        this.thread = Thread.ofPlatform().daemon().name("steward-writer-" + name).start(this::run);
        database.register(this);
        // A process that exits without closing (a script's System.exit, SIGTERM) still saves what it queued.
        this.flushOnExit = new Thread(this::flush, "steward-writer-" + name + "-exit");
        Runtime.getRuntime().addShutdownHook(flushOnExit);
    }

    /** Queues a write; it is committed soon, in order with the others. */
    public void submit(Consumer<Handle> write) {
        if (closed) {
            database.jdbi().useTransaction(write::accept);
            return;
        }
        queue.add(write);
    }

    /** Waits until every write queued before this call is committed. */
    public void flush() {
        if (closed || Thread.currentThread() == thread) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(done);
        done.join();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        thread.interrupt();
        database.unregister(this);
        try {
            Runtime.getRuntime().removeShutdownHook(flushOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run: it flushes, nothing more to do.
        }
    }

    @SuppressWarnings("unchecked")
    private void run() {
        List<Object> batch = new ArrayList<>();
        while (!closed) {
            try {
                Object first = queue.take();
                if (!(first instanceof CompletableFuture<?>)) {
                    Thread.sleep(LINGER); // let the rest of this moment's writes queue up behind it
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - batch.size());
            List<Consumer<Handle>> writes = new ArrayList<>();
            for (Object item : batch) {
                if (item instanceof Consumer<?> write) {
                    writes.add((Consumer<Handle>) write);
                }
            }
            try {
                if (!writes.isEmpty()) {
                    database.jdbi().useTransaction(h -> writes.forEach(w -> w.accept(h)));
                }
            } catch (RuntimeException e) {
                LOG.warn("could not save {} queued rows: {}", writes.size(), e.getMessage());
            }
            for (Object item : batch) {
                if (item instanceof CompletableFuture<?> done) {
                    ((CompletableFuture<Void>) done).complete(null);
                }
            }
            batch.clear();
        }
    }
}
