package dev.steward.app;

import dev.steward.agent.Stats;
import dev.steward.router.ModelUsage;
import dev.steward.support.Json;
import dev.steward.support.Text;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Tasks by status and intent; tokens and cost by model; all time and the last 24 hours.")
final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Stats.Report report = parent.steward().stats().report();
        if (output.json) {
            System.out.println(Json.pretty(report));
            return Main.OK;
        }
        print("Last 24 hours", report.last24h(), report.baselineModel());
        System.out.println();
        print("All time", report.allTime(), report.baselineModel());
        if (!report.last30Days().isEmpty()) {
            System.out.println();
            System.out.println("Spend by day (UTC, last 30 days):");
            report.last30Days().forEach(d -> System.out.printf("  %s  %6d calls  %10d tokens  %10s%n", d.key(), d.calls(),
                    d.tokensIn() + d.tokensOut(), Money.format(d.costMicros())));
        }
        return Main.OK;
    }

    private static void print(String title, Stats.Period period, String baseline) {
        System.out.println(title + ": " + period.tasks() + " tasks, " + period.tokensIn() + " tokens in, "
                + period.tokensOut() + " out, cost " + Money.format(period.costMicros()));
        System.out.println("  by status: " + join(period.tasksByStatus()));
        System.out.println("  by intent: " + join(period.tasksByIntent()));
        if (period.localShare() != null) {
            System.out.printf(java.util.Locale.ROOT, "  local or offline: %.0f%% of model calls%s%n", 100 * period.localShare(),
                    period.savingMicros() == null ? "" : "; saved " + Money.format(period.savingMicros())
                            + " against " + baseline + " prices");
        }
        if (period.users().size() > 1) {
            System.out.println("  by user: " + String.join(", ", period.users().stream()
                    .map(u -> u.key() + " " + Money.format(u.costMicros()) + " (" + u.calls() + " calls)").toList()));
        }
        if (!period.models().isEmpty()) {
            System.out.printf("  %-24s %7s %7s %10s %10s %10s %9s%n",
                    "MODEL", "CALLS", "ERRORS", "TOKENS IN", "TOKENS OUT", "COST", "AVG MS");
            for (ModelUsage m : period.models()) {
                System.out.printf("  %-24s %7d %7d %10d %10d %10s %9d%n", Text.abbreviate(m.provider() + "/" + m.model(), 24),
                        m.calls(), m.errors(), m.tokensIn(), m.tokensOut(), Money.format(m.costMicros()), m.avgLatencyMs());
            }
        }
    }

    static String join(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "-";
        }
        StringBuilder text = new StringBuilder();
        counts.forEach((k, v) -> text.append(text.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return text.toString();
    }
}
