package dev.steward.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.DatabaseConfig;
import dev.steward.store.Database;
import dev.steward.store.TestPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate-limit buckets in PostgreSQL: two nodes (each its own connections) take from one bucket, which refills as
 * Bucket4j's in-process bucket does. The store holds no time of its own, so a node made with a later clock is the
 * same node a moment later.
 */
@ExtendWith(TestPostgres.class)
class SharedRateLimitsTest {
    private static final Instant START = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    @Test
    void twoNodesTakeExactlyTheLimitBetweenThemAndRefusalsSayWhenOneIsBack(DatabaseConfig postgres) throws Exception {
        try (Database a = Database.open(homeA, postgres); Database b = Database.open(homeB, postgres)) {
            SharedRateLimits nodeA = new SharedRateLimits(a, at(Duration.ZERO));
            SharedRateLimits nodeB = new SharedRateLimits(b, at(Duration.ZERO));
            List<Long> waits = new ArrayList<>();
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Future<Long>> takes = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    SharedRateLimits node = i % 2 == 0 ? nodeA : nodeB;
                    takes.add(callers.submit(() -> node.tryTake("user:alice", 10)));
                }
                for (Future<Long> take : takes) {
                    waits.add(take.get());
                }
            } finally {
                callers.shutdownNow();
            }
            assertThat(waits).filteredOn(w -> w == 0).as("ten a minute, over both nodes").hasSize(10);
            assertThat(waits).filteredOn(w -> w != 0).hasSize(20)
                    .allSatisfy(w -> assertThat(w).as("one of ten a minute is back every 6 s")
                            .isEqualTo(Duration.ofSeconds(6).toNanos()));

            SharedRateLimits laterB = new SharedRateLimits(b, at(Duration.ofSeconds(6)));
            assertThat(laterB.tryTake("user:alice", 10)).as("6 s on, one is back").isZero();
            assertThat(new SharedRateLimits(a, at(Duration.ofSeconds(7))).tryTake("user:alice", 10))
                    .as("and taken, on whichever node").isEqualTo(Duration.ofSeconds(5).toNanos());

            SharedRateLimits minuteOn = new SharedRateLimits(a, at(Duration.ofSeconds(66)));
            for (int i = 0; i < 10; i++) {
                assertThat(minuteOn.tryTake("user:alice", 10)).as("a minute on, the bucket is full").isZero();
            }
            assertThat(minuteOn.tryTake("user:alice", 10)).isPositive();
            assertThat(minuteOn.tryTake("user:bob", 10)).as("each key its own bucket").isZero();
            assertThat(minuteOn.tryTake("user:alice", 20)).as("a node with another limit counts apart").isZero();
        }
    }

    @Test
    void bucketsUntouchedForTenMinutesAreForgotten(DatabaseConfig postgres) {
        try (Database db = Database.open(homeA, postgres)) {
            new SharedRateLimits(db, at(Duration.ZERO)).tryTake("login:192.0.2.1", 30);
            new SharedRateLimits(db, at(Duration.ofMinutes(9))).tryTake("login:192.0.2.2", 30);
            new SharedRateLimits(db, at(Duration.ofMinutes(11))).forgetOld();
            List<String> kept = db.jdbi().withHandle(h -> h.createQuery("SELECT bucket_key FROM rate_buckets")
                    .mapTo(String.class).list());
            assertThat(kept).containsExactly("login:192.0.2.2/30");
        }
    }

    @Test
    void onSqliteThereAreNoSharedBuckets() {
        try (Database sqlite = Database.open(homeA, DatabaseConfig.embedded())) {
            assertThat(Cluster.rateLimits(sqlite, Clock.systemUTC())).isEmpty();
        }
    }

    private static Clock at(Duration sinceStart) {
        return Clock.fixed(START.plus(sinceStart), ZoneOffset.UTC);
    }
}
