package dev.steward.app;

import java.util.List;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) stop a long-lived command before the JVM begins its shutdown. The JVM runs every
 * shutdown hook at once, and ONNX Runtime registers one that frees its native environment: an embedding still
 * running then, on a request or in the background, crashed the JVM with a SIGSEGV in libonnxruntime.so (issue 23).
 * Stopping first and exiting after leaves nothing running in the model when that hook frees it.
 */
final class StopSignals {
    private StopSignals() {
    }

    /**
     * On SIGTERM or SIGINT, runs {@code stop} (which must return in bounded time) and then exits with 128 + the
     * signal's number, as the JVM's own handling does.
     */
    static void install(Runnable stop) {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    try {
                        stop.run();
                    } finally {
                        System.exit(128 + signal.getNumber());
                    }
                });
            } catch (IllegalArgumentException notOurs) {
                // Started with -Xrs, or the signal is ignored (a background job of a shell): the JVM's handling stays.
            }
        }
    }
}
