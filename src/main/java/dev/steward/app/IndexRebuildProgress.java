package dev.steward.app;

import dev.steward.memory.IndexProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Shows the memory index being built from the database (a first run, another embedding model, a new node, or one
 * behind a trimmed feed): on a terminal a "k/n" line rewritten in place; in a pipe or a log (serve's stderr) a line
 * when it starts, every {@link #LOG_EVERY} and when it is done. Nothing for an empty database.
 */
final class IndexRebuildProgress implements IndexProgress {
    static final Duration LOG_EVERY = Duration.ofSeconds(5);
    private static final String WHAT = "building the memory index from the database: ";

    private final PrintStream err;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private long lastLine;
    private boolean logged;

    IndexRebuildProgress(PrintStream err, boolean terminal, LongSupplier nanoTime) {
        this.err = err;
        this.terminal = terminal;
        this.nanoTime = nanoTime;
    }

    /** For this process: drawn on stderr if it is a terminal, logged otherwise. */
    static IndexProgress onStderr() {
        return new IndexRebuildProgress(System.err, System.console() != null, System::nanoTime);
    }

    @Override
    public synchronized void indexed(int done, int total) {
        if (total == 0) {
            return;
        }
        if (terminal) {
            KnowledgeCommand.drawCount(err, done, total, "memories");
            return;
        }
        long now = nanoTime.getAsLong();
        if (!logged || done >= total || now - lastLine >= LOG_EVERY.toNanos()) {
            err.println("steward: " + WHAT + done + "/" + total + " memories" + (done >= total ? ", done" : ""));
            err.flush();
            lastLine = now;
            logged = true;
        }
    }
}
