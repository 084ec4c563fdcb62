package dev.steward.app;

import java.util.function.Supplier;

/**
 * Runs work on the calling thread so that Ctrl-C (SIGINT) interrupts it instead of killing the process mid-write:
 * the work sees the interrupt, records itself as cancelled, and only then does the process exit.
 */
final class Interruptible {
    private static final long GRACE_MILLIS = 3_000;

    private Interruptible() {}

    static <T> T run(Supplier<T> work) {
        Thread worker = Thread.currentThread();
        Thread onInterrupt = new Thread(() -> {
            worker.interrupt();
            try {
                worker.join(GRACE_MILLIS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "steward-cancel");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            return work.get();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running and waits for us; returning lets it finish.
            }
        }
    }
}
