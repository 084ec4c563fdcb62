package dev.steward.router;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import okhttp3.ConnectionPool;
import okhttp3.internal.concurrent.TaskRunner;
import okhttp3.internal.connection.ConnectionListener;

/**
 * OkHttp's connection pool with a clean-up thread that is not woken by every call.
 *
 * <p>OkHttp reschedules its pool's clean-up task to "now" each time a connection goes back to the pool, and wakes
 * the thread that waits for it: on a busy gateway a futex wake and a context switch per proxied call, for a task
 * whose only job is to close connections idle for longer than the keep-alive (docs/benchmarks.md measured it at
 * 7–10 % of the process's CPU). OkHttp has no public switch for this, so the pool gets its own task runner (OkHttp's
 * internal {@link TaskRunner}, the one its pool accepts) whose "wake up, there is new work" is ignored: the waiting
 * thread looks again when its own deadline comes, and never sleeps longer than {@link #LOOK_EVERY}. An idle
 * connection is therefore closed within {@code keepAlive + LOOK_EVERY} of going idle, instead of at
 * {@code keepAlive}; nothing else about pooling changes.
 */
final class ProviderConnectionPool {
    /** The longest the clean-up thread sleeps, so work scheduled without a wake-up waits at most this long. */
    static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    private ProviderConnectionPool() {}

    /** A pool keeping up to {@code maxIdle} idle connections for {@code keepAlive} each. */
    static ConnectionPool create(int maxIdle, Duration keepAlive) {
        return create(maxIdle, keepAlive, new QuietBackend());
    }

    static ConnectionPool create(int maxIdle, Duration keepAlive, QuietBackend backend) {
        TaskRunner runner = new TaskRunner(backend, Logger.getLogger(TaskRunner.class.getName()));
        return new ConnectionPool(maxIdle, keepAlive.toNanos(), TimeUnit.NANOSECONDS, runner,
                new ConnectionListener() {}); // OkHttp's own NONE is not reachable from Java; this is the same
    }

    /**
     * OkHttp's own backend (a daemon thread pool, the same waits), except that a notification is not passed on and
     * no wait is longer than {@link #LOOK_EVERY}. Counts what it was asked to do, for tests.
     */
    static final class QuietBackend implements TaskRunner.Backend {
        private static final ThreadFactory THREADS = Thread.ofPlatform().daemon().name("steward-okhttp-pool-", 0)
                .factory();
        private final TaskRunner.RealBackend delegate = new TaskRunner.RealBackend(THREADS);
        final AtomicLong notificationsIgnored = new AtomicLong();
        final AtomicLong waits = new AtomicLong();

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void coordinatorNotify(TaskRunner taskRunner) {
            notificationsIgnored.incrementAndGet();
        }

        @Override
        public void coordinatorWait(TaskRunner taskRunner, long nanos) {
            waits.incrementAndGet();
            try {
                delegate.coordinatorWait(taskRunner, Math.min(nanos, LOOK_EVERY.toNanos()));
            } catch (InterruptedException e) {
                throw passOn(e); // OkHttp's runner expects it (Kotlin declares no checked exceptions) and stops
            }
        }

        @SuppressWarnings("unchecked")
        private static <E extends Throwable> RuntimeException passOn(Throwable e) throws E {
            throw (E) e;
        }

        @Override
        public <T> BlockingQueue<T> decorate(BlockingQueue<T> queue) {
            return delegate.decorate(queue);
        }

        @Override
        public void execute(TaskRunner taskRunner, Runnable runnable) {
            delegate.execute(taskRunner, runnable);
        }
    }
}
