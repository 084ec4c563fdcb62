package dev.steward.memory;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps watched folders of the knowledge base up to date in a long-lived process ({@code steward serve}): every
 * {@code every} it looks through them and reads new and changed files, drops deleted ones. Polling rather than the
 * file system's change events: it needs no registration per subfolder, does not lose events when many arrive at once,
 * works the same on network and container file systems, and costs one stat per file per round (a file is read again
 * only when its size or time changed). A file written in the last {@code settle} is left for the next round, so a
 * document being saved is read once, whole.
 */
public final class KnowledgeWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KnowledgeWatch.class.getName());

    /**
     * A watched folder.
     *
     * @param userId the memory space its documents belong to: a user's id or {@code team:NAME}
     */
    public record Watched(String userId, String path, long createdAt) {
        /** {@code private} or {@code team:NAME}: who reads its documents. */
        public String scope() {
            return Teams.scopeOf(userId);
        }
    }

    private final Knowledge knowledge;
    private final Duration every;
    private final Duration settle;
    /** Counted down to stop: wakes the wait between rounds without interrupting a round's file and index writes. */
    private final CountDownLatch stopping = new CountDownLatch(1);
    private Thread follower;

    public KnowledgeWatch(Knowledge knowledge, Duration every, Duration settle) {
        this.knowledge = knowledge;
        this.every = every;
        this.settle = settle;
    }

    /** Starts following the watched folders in the background (once; again does nothing). */
    public synchronized void start() {
        if (follower != null) {
            return;
        }
        follower = Thread.ofVirtual().name("steward-knowledge-watch").start(() -> {
            String lastFailure = null;
            while (true) {
                try {
                    if (stopping.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    knowledge.followWatched(settle.toMillis(), () -> stopping.getCount() > 0);
                    lastFailure = null;
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) { // a folder unreadable this round; the next round tries again
                    if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                        LOG.log(System.Logger.Level.WARNING, "following watched folders: " + e.getMessage());
                        lastFailure = String.valueOf(e.getMessage());
                    }
                }
            }
        });
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            running = follower;
        }
        stopping.countDown();
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(30).toMillis()); // a round under way stops after its current file
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
