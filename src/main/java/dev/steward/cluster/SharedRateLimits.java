package dev.steward.cluster;

import dev.steward.store.Database;
import dev.steward.support.BucketClock;
import dev.steward.support.SharedBuckets;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.AbstractSelectForUpdateBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.LockAndGetResult;
import io.github.bucket4j.distributed.proxy.generic.select_for_update.SelectForUpdateBasedTransaction;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Rate-limit buckets in PostgreSQL ({@code rate_buckets}), counted by every node together. Bucket4j does the
 * counting, exactly as in the process; this is its select-for-update bucket store on our own table and connections
 * (Bucket4j's PostgreSQL module is not served to this build): a take locks the bucket's row, applies Bucket4j's
 * command to the state read, writes it back and commits, so takes of all nodes on one bucket are serialised.
 */
final class SharedRateLimits implements SharedBuckets {
    /** A bucket untouched this long is full again (refills take a minute), so forgetting it changes nothing. */
    static final long FORGET_AFTER_MILLIS = 10 * 60_000L;

    private final Database database;
    private final Clock clock;
    private final Store store;

    SharedRateLimits(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.store = new Store(ClientSideConfig.getDefault().withClientClock(BucketClock.of(clock)));
    }

    @Override
    public long tryTake(String key, int perMinute) {
        // The limit is part of the key: a node started with another limit counts in a bucket of its own.
        ConsumptionProbe probe = store.builder().build(key + "/" + perMinute, () -> BucketConfiguration.builder()
                        .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1))
                                .build())
                        .build())
                .tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    void forgetOld() {
        database.jdbi().useHandle(h -> h.execute("DELETE FROM rate_buckets WHERE updated_at < ?",
                clock.millis() - FORGET_AFTER_MILLIS));
    }

    /** Bucket4j's store: one transaction on one connection per take, the bucket's row locked for it. */
    private final class Store extends AbstractSelectForUpdateBasedProxyManager<String> {
        Store(ClientSideConfig config) {
            super(config);
        }

        @Override
        protected SelectForUpdateBasedTransaction allocateTransaction(String key, Optional<Long> timeoutNanos) {
            Handle handle = database.jdbi().open();
            return new SelectForUpdateBasedTransaction() {
                @Override
                public void begin(Optional<Long> timeout) {
                    handle.begin();
                }

                @Override
                public void rollback() {
                    handle.rollback();
                }

                @Override
                public void commit(Optional<Long> timeout) {
                    handle.commit();
                }

                @Override
                public LockAndGetResult tryLockAndGet(Optional<Long> timeout) {
                    return handle.createQuery("SELECT state FROM rate_buckets WHERE bucket_key = :key FOR UPDATE")
                            .bind("key", key)
                            .map((rs, ctx) -> LockAndGetResult.locked(rs.getBytes(1)))
                            .findOne().orElse(LockAndGetResult.notLocked());
                }

                @Override
                public boolean tryInsertEmptyData(Optional<Long> timeout) {
                    // Another node inserting the same bucket at once is fine: the next round locks whichever row won.
                    handle.createUpdate("""
                                    INSERT INTO rate_buckets (bucket_key, state, updated_at) VALUES (:key, NULL, :now)
                                    ON CONFLICT (bucket_key) DO NOTHING""")
                            .bind("key", key).bind("now", clock.millis()).execute();
                    return true;
                }

                @Override
                public void update(byte[] data, RemoteBucketState state, Optional<Long> timeout) {
                    handle.createUpdate("UPDATE rate_buckets SET state = :state, updated_at = :now WHERE bucket_key = :key")
                            .bind("state", data).bind("now", clock.millis()).bind("key", key).execute();
                }

                @Override
                public void release() {
                    handle.close();
                }
            };
        }

        @Override
        public void removeProxy(String key) {
            database.jdbi().useHandle(h -> h.execute("DELETE FROM rate_buckets WHERE bucket_key = ?", key));
        }
    }
}
