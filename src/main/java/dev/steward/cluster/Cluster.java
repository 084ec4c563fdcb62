package dev.steward.cluster;

import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStore;
import dev.steward.config.ClusterConfig;
import dev.steward.memory.MemorySearch;
import dev.steward.router.BudgetLedger;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import dev.steward.support.SharedBuckets;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This process as one node of several on a PostgreSQL database: shares budgets through the database, keeps its
 * memory index in step with the others', and once {@link #start started} (by {@code steward serve}) writes its
 * heartbeat to the registry and relays other nodes' task events to its streams. Closing it drains: the node is
 * marked draining, stops following, and leaves the registry (the runner, closed before, has handed its tasks back).
 */
public final class Cluster implements AutoCloseable {
    /** How often a started node applies the memory feed and relays task events: a fact is found elsewhere in well under 2 s. */
    static final Duration FOLLOW_EVERY = Duration.ofMillis(250);
    private static final Logger LOG = Logger.getLogger(Cluster.class.getName());
    /** Old feed rows, ledger windows and silent nodes are cleaned up this often. */
    private static final long TRIM_EVERY_MILLIS = 600_000;

    private final Database database;
    private final Clock clock;
    private final long heartbeatMillis;
    private final Nodes nodes;
    private final SharedBudgets budgets;
    private final SharedRateLimits rateLimits;
    /** Who wrote a memory change: this process, whether or not it serves. */
    private final String origin = Ids.next();
    private volatile MemoryFeed feed;
    private volatile TaskRunner runner;
    private volatile boolean draining;
    private volatile boolean closed;
    private Thread follower;

    private Cluster(Database database, ClusterConfig config, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.heartbeatMillis = config.heartbeatSeconds() * 1_000L;
        this.nodes = new Nodes(database, clock, heartbeatMillis);
        this.budgets = new SharedBudgets(database, clock);
        this.rateLimits = new SharedRateLimits(database, clock);
    }

    /** The cluster this process belongs to: on PostgreSQL; on SQLite there is none and every part stays in-process. */
    public static Optional<Cluster> of(Database database, ClusterConfig config, Clock clock) {
        return database.dialect() == Database.Dialect.POSTGRESQL
                ? Optional.of(new Cluster(database, config, clock)) : Optional.empty();
    }

    /** Budgets counted in the database, so that all nodes together never pass a limit. */
    public BudgetLedger budgetLedger() {
        return budgets;
    }

    /** Rate-limit buckets counted in the database, so that all nodes together allow each limit once. */
    public SharedBuckets rateLimits() {
        return rateLimits;
    }

    /**
     * The rate-limit buckets shared by the nodes on {@code database}, for a part that has the database but not the
     * cluster (the HTTP server); none on SQLite.
     */
    public static Optional<SharedBuckets> rateLimits(Database database, Clock clock) {
        return database.dialect() == Database.Dialect.POSTGRESQL
                ? Optional.of(new SharedRateLimits(database, clock)) : Optional.empty();
    }

    /**
     * The search index {@code local} following the database: changes made through the returned search reach the
     * other nodes, and theirs are applied here. When the index has to be built from the database first (it is new,
     * or too far behind the feed), {@code rebuild} does it, through {@code local} itself, before anything is applied.
     */
    public MemorySearch follow(MemorySearch local, boolean indexIsNew, Path home, Runnable rebuild) {
        MemoryFeed made = new MemoryFeed(local, database, origin, home.resolve("index").resolve("cluster-feed.seq"),
                clock);
        if (made.start(indexIsNew)) {
            rebuild.run();
        }
        made.catchUp();
        feed = made;
        return made;
    }

    /**
     * Joins the registry as {@code runner}'s node and starts following: heartbeats, the memory feed, other nodes'
     * task events for this node's streams.
     */
    public synchronized void start(TaskRunner runner, TaskStore tasks) {
        if (follower != null || closed) {
            return;
        }
        this.runner = runner;
        long startedAt = clock.millis();
        String host = hostName() + " pid " + ProcessHandle.current().pid();
        String version = dev.steward.support.Version.current();
        EventRelay relay = new EventRelay(tasks, runner, clock);
        nodes.beat(runner.runnerId(), host, version, startedAt, 0, false);
        follower = Thread.ofVirtual().name("steward-cluster").start(() -> {
            long nextBeat = clock.millis() + heartbeatMillis;
            long nextTrim = clock.millis();
            while (!closed) {
                try {
                    Thread.sleep(FOLLOW_EVERY.toMillis());
                    MemoryFeed following = feed;
                    if (following != null) {
                        following.catchUp();
                    }
                    relay.poll();
                    long now = clock.millis();
                    if (now >= nextBeat) {
                        nodes.beat(runner.runnerId(), host, version, startedAt, runner.activeCount(), draining);
                        nextBeat = now + heartbeatMillis;
                    }
                    if (now >= nextTrim) {
                        trim();
                        nextTrim = now + TRIM_EVERY_MILLIS;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // PostgreSQL restarting, or a network blip: the next round tries again; the leases have room.
                    LOG.log(Level.FINE, "cluster round failed; retrying", e);
                }
            }
        });
    }

    private void trim() {
        MemoryFeed following = feed;
        if (following != null) {
            following.trim();
        }
        budgets.forgetOld();
        rateLimits.forgetOld();
        nodes.forgetSilent();
    }

    /** The registry of nodes. */
    public Nodes nodes() {
        return nodes;
    }

    /** Says this node is stopping (the registry shows it draining) before its runner hands its tasks back. */
    public void drain() {
        draining = true;
        TaskRunner serving = runner;
        if (serving != null) {
            try {
                nodes.beat(serving.runnerId(), "", "", 0, serving.activeCount(), true);
            } catch (RuntimeException unreachable) {
                // The database is away; the node's row goes silent instead.
            }
        }
    }

    /** Stops following and leaves the registry. */
    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            closed = true;
            stopping = follower;
        }
        if (stopping == null) {
            return;
        }
        stopping.interrupt();
        try {
            stopping.join(2_000);
            nodes.leave(runner.runnerId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException unreachable) {
            // The database is away: the row goes silent and is listed so until it is forgotten.
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown host";
        }
    }
}
