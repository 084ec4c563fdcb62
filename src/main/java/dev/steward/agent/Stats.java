package dev.steward.agent;

import dev.steward.router.Locality;
import dev.steward.router.ModelCallLog.SpendRow;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelUsage;
import dev.steward.router.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Steward has done and what it cost: tasks by status and intent; tokens and cost by model, user and day; the
 * share of calls that stayed local; and what those local calls would have cost at cloud prices.
 */
public final class Stats {
    private final TaskStore tasks;
    private final ModelCallLog calls;
    private final Optional<Route> baseline;
    private final Clock clock;

    /** @param baseline the cloud model whose prices local calls are compared with, if any */
    public Stats(TaskStore tasks, ModelCallLog calls, Optional<Route> baseline, Clock clock) {
        this.tasks = tasks;
        this.calls = calls;
        this.baseline = baseline;
        this.clock = clock;
    }

    public record Report(Period allTime, Period last24h, List<SpendRow> last30Days, String baselineModel) {}

    /**
     * @param localShare   share of model calls served locally or offline, 0..1 (null with no calls)
     * @param savingMicros what the local and offline calls would have cost on the baseline model (null: no baseline)
     */
    public record Period(long tasks, Map<String, Long> tasksByStatus, Map<String, Long> tasksByIntent,
                         List<ModelUsage> models, List<SpendRow> users, List<SpendRow> localities,
                         long tokensIn, long tokensOut, long costMicros, Double localShare, Long savingMicros) {
        public double costUsd() {
            return costMicros / 1_000_000.0;
        }
    }

    public Report report() {
        long now = clock.millis();
        return new Report(period(0), period(now - Duration.ofHours(24).toMillis()),
                calls.spendByDay(now - Duration.ofDays(30).toMillis()), baseline.map(Route::id).orElse(null));
    }

    private Period period(long since) {
        Map<String, Long> byStatus = tasks.countBy("status", since);
        List<ModelUsage> models = calls.usageSince(since);
        List<SpendRow> localities = calls.spendByLocality(since);
        long allCalls = localities.stream().mapToLong(SpendRow::calls).sum();
        List<SpendRow> local = localities.stream().filter(r -> !r.key().equals(Locality.CLOUD.id())).toList();
        Double localShare = allCalls == 0 ? null : local.stream().mapToLong(SpendRow::calls).sum() / (double) allCalls;
        Long saving = baseline.map(b -> local.stream()
                .mapToLong(r -> Math.round(r.tokensIn() * b.inputPrice() + r.tokensOut() * b.outputPrice()) - r.costMicros())
                .sum()).orElse(null);
        return new Period(byStatus.values().stream().mapToLong(Long::longValue).sum(), byStatus,
                tasks.countBy("intent", since), models, calls.spendByUser(since), localities,
                models.stream().mapToLong(ModelUsage::tokensIn).sum(),
                models.stream().mapToLong(ModelUsage::tokensOut).sum(),
                models.stream().mapToLong(ModelUsage::costMicros).sum(), localShare, saving);
    }
}
