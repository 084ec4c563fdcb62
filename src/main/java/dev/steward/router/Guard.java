package dev.steward.router;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A watchdog over one call: if nothing arrives before the deadline, it cancels the call, which wakes the
 * blocked reader; {@link #fired()} then tells a stall from a broken connection. Guards cost no thread hand-off:
 * a single daemon thread looks at the open ones every few milliseconds, and sleeps when there are none.
 */
final class Guard implements AutoCloseable {
    private final Runnable abort;
    private final long idleNanos;
    private volatile long deadline;
    private volatile long waitNanos;
    private volatile boolean fired;
    private volatile boolean closed;
    private volatile boolean held;

    Guard(Runnable abort, Duration first, Duration idle) {
        this.abort = abort;
        this.idleNanos = idle.toNanos();
        restart(first);
        Watchdog.watch(this);
    }

    /** From now, the next read may take {@code wait}. */
    void restart(Duration wait) {
        waitNanos = wait.toNanos();
        deadline = System.nanoTime() + waitNanos;
        held = false;
    }

    /** Something arrived: the next read has the idle timeout from now. */
    void touch() {
        waitNanos = idleNanos;
        deadline = System.nanoTime() + idleNanos;
        held = false;
    }

    /** The caller is busy with what it read (not waiting on the provider) until the next {@link #touch()}. */
    void hold() {
        held = true;
    }

    /** Back to waiting on the provider after a {@link #hold()}: the current timeout runs again from now. */
    void resume() {
        if (held) {
            deadline = System.nanoTime() + waitNanos;
            held = false;
        }
    }

    boolean fired() {
        return fired;
    }

    Duration lastWait() {
        return Duration.ofNanos(waitNanos);
    }

    /** Called by the watchdog: true when this guard needs no more watching. */
    boolean check(long now) {
        if (closed) {
            return true;
        }
        if (held || now - deadline < 0) {
            return false;
        }
        fired = true;
        abort.run();
        return true;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Watchdog.forget(this);
        }
    }

    /** The thread behind every {@link Guard}: ticks while guards are open, parks when none have been for a while. */
    private static final class Watchdog {
        static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
        private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);
        private static final Set<Guard> OPEN = ConcurrentHashMap.newKeySet();
        private static volatile boolean parked;
        private static final Thread THREAD = Thread.ofPlatform().daemon().name("steward-provider-watchdog")
                .start(Watchdog::run);

        private Watchdog() {}

        static void watch(Guard guard) {
            OPEN.add(guard);
            if (parked) {
                LockSupport.unpark(THREAD);
            }
        }

        static void forget(Guard guard) {
            OPEN.remove(guard);
        }

        private static void run() {
            long lastBusy = System.nanoTime();
            while (true) {
                if (OPEN.isEmpty() && System.nanoTime() - lastBusy > LINGER_NANOS) {
                    parked = true;
                    if (OPEN.isEmpty()) { // a guard opened after the check and before the flag would wait forever
                        LockSupport.park();
                    }
                    parked = false;
                } else {
                    LockSupport.parkNanos(TICK_NANOS);
                }
                long now = System.nanoTime();
                if (!OPEN.isEmpty()) {
                    lastBusy = now;
                }
                for (Guard guard : OPEN) {
                    try {
                        if (guard.check(now)) {
                            OPEN.remove(guard);
                        }
                    } catch (RuntimeException e) {
                        OPEN.remove(guard); // a cancel that failed: nothing more this thread can do for it
                    }
                }
            }
        }
    }
}
