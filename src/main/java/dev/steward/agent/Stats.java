package dev.steward.agent;

import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelUsage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What Steward has done and what it cost: tasks by status and intent, tokens and cost by model. */
public final class Stats {
    private final TaskStore tasks;
    private final ModelCallLog calls;
    private final Clock clock;

    public Stats(TaskStore tasks, ModelCallLog calls, Clock clock) {
        this.tasks = tasks;
        this.calls = calls;
        this.clock = clock;
    }

    public record Report(Period allTime, Period last24h) {}

    public record Period(long tasks, Map<String, Long> tasksByStatus, Map<String, Long> tasksByIntent,
                         List<ModelUsage> models, long tokensIn, long tokensOut, long costMicros) {
        public double costUsd() {
            return costMicros / 1_000_000.0;
        }
    }

    public Report report() {
        return new Report(period(0), period(clock.millis() - Duration.ofHours(24).toMillis()));
    }

    private Period period(long since) {
        Map<String, Long> byStatus = tasks.countBy("status", since);
        List<ModelUsage> models = calls.usageSince(since);
        return new Period(byStatus.values().stream().mapToLong(Long::longValue).sum(), byStatus,
                tasks.countBy("intent", since), models,
                models.stream().mapToLong(ModelUsage::tokensIn).sum(),
                models.stream().mapToLong(ModelUsage::tokensOut).sum(),
                models.stream().mapToLong(ModelUsage::costMicros).sum());
    }
}
