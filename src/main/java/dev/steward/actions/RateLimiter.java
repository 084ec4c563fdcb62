package dev.steward.actions;

import dev.steward.config.ActionsConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Calls per minute per user and risk class (general, dangerous), in this process, with Bucket4j. */
final class RateLimiter {
    private final ActionsConfig.RateLimits limits;
    private final TimeMeter time;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(ActionsConfig.RateLimits limits, Clock clock) {
        this.limits = limits;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.millis() * 1_000_000;
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** Null when the call may go ahead, else the message saying when to retry. */
    String tryAcquire(String userId, Risk risk) {
        boolean dangerous = risk == Risk.DANGEROUS || risk == Risk.PAID;
        int perMinute = dangerous ? limits.dangerousPerMinute() : limits.perMinute();
        String kind = dangerous ? "dangerous" : "general";
        Bucket bucket = buckets.computeIfAbsent(userId + "\n" + kind, key -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .withCustomTimePrecision(time).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return null;
        }
        long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000);
        return "rate limit reached: at most " + perMinute + " " + kind + " tool calls per minute for user '" + userId
                + "'; retry in " + seconds + " s";
    }
}
