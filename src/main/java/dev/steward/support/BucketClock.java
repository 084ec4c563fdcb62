package dev.steward.support;

import io.github.bucket4j.TimeMeter;
import java.time.Clock;

/** Bucket4j's time read from a {@link Clock}, so that rate-limit buckets follow the clock the rest of Steward reads. */
public final class BucketClock {
    private BucketClock() {}

    public static TimeMeter of(Clock clock) {
        return new TimeMeter() {
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
}
