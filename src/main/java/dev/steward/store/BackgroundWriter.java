package dev.steward.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes writes off hot paths: callers queue them and return at once; one daemon thread commits whatever has
 * queued up in a single transaction. {@link #flush()} waits until everything queued so far is committed, so
 * readers that need their own writes (and a process about to exit) call it first.
 *
 * <p>Once woken by a write, the thread lets more arrive for its linger ({@link #LINGER} unless the owner chooses)
 * before it commits: under load that makes one transaction of many rows instead of a transaction (and a thread
 * wake-up) per row; when all is quiet it delays a row by the linger. A flush cuts the linger short, so readers never
 * wait for it. What a crash can lose: the writes queued and not yet committed, at most a linger's worth when the
 * database keeps up; an orderly close (or a shutdown hook, for a process that exits without closing) commits them.
 */
public final class BackgroundWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWriter.class);
    private static final int MAX_BATCH = 500;
    static final Duration LINGER = Duration.ofMillis(5);

    private final Database database;
    private final long lingerNanos;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Thread flushOnExit;
    private volatile boolean closed;

    public BackgroundWriter(Database database, String name) {
        this(database, name, LINGER);
    }

    /** @param linger how long the writes after a first one may queue up before they are committed together */
    public BackgroundWriter(Database database, String name, Duration linger) {
        this.database = database;
        this.lingerNanos = linger.toNanos();
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
        LockSupport.unpark(thread); // ends a linger
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

    /** Lets the writes of the next few milliseconds queue up behind {@code first}, unless someone waits for them. */
    private void linger(Object first) {
        if (first instanceof CompletableFuture<?>) {
            return;
        }
        long until = System.nanoTime() + lingerNanos;
        for (long left = lingerNanos; left > 0; left = until - System.nanoTime()) {
            if (queue.stream().anyMatch(CompletableFuture.class::isInstance)) {
                return;
            }
            LockSupport.parkNanos(this, left); // flush() unparks
            if (Thread.currentThread().isInterrupted()) {
                return; // closing: save what was taken, then stop
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void run() {
        List<Object> batch = new ArrayList<>();
        while (!closed) {
            try {
                Object first = queue.take();
                batch.add(first);
                linger(first);
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
