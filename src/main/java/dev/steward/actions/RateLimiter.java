package dev.steward.actions;

import dev.steward.config.ActionsConfig;
import dev.steward.support.BucketClock;
import dev.steward.support.SharedBuckets;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Calls per minute per user and risk class (general, dangerous), with Bucket4j: in this process, or in the buckets
 * all nodes share when Steward runs on several.
 */
final class RateLimiter {
    private final ActionsConfig.RateLimits limits;
    /** The cluster's buckets; null on a single node. */
    private final SharedBuckets shared;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(ActionsConfig.RateLimits limits, Clock clock, SharedBuckets shared) {
        this.limits = limits;
        this.shared = shared;
        this.time = BucketClock.of(clock);
    }

    /** Null when the call may go ahead, else the message saying when to retry. */
    String tryAcquire(String userId, Risk risk) {
        boolean dangerous = risk == Risk.DANGEROUS || risk == Risk.PAID;
        int perMinute = dangerous ? limits.dangerousPerMinute() : limits.perMinute();
        String kind = dangerous ? "dangerous" : "general";
        long waitNanos = shared != null ? shared.tryTake("tools:" + userId + ":" + kind, perMinute) : takeHere(userId,
                kind, perMinute);
        if (waitNanos == 0) {
            return null;
        }
        long seconds = Math.max(1, (waitNanos + 999_999_999) / 1_000_000_000);
        return "rate limit reached: at most " + perMinute + " " + kind + " tool calls per minute for user '" + userId
                + "'; retry in " + seconds + " s";
    }

    /** 0 when this process's bucket had one, else the nanoseconds until it has. */
    private long takeHere(String userId, String kind, int perMinute) {
        Bucket bucket = buckets.computeIfAbsent(userId + "\n" + kind, key -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .withCustomTimePrecision(time).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }
}
