package dev.steward.learning;

import dev.steward.config.RoutingConfig;
import dev.steward.memory.MemoryUpkeep;
import dev.steward.router.Locality;
import dev.steward.router.Route;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import dev.steward.support.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Proposals that keep Steward in working order rather than change what it answers: a longer answer timeout for models
 * that keep timing out, and a memory upkeep run when a user's memory has gathered enough to tidy.
 */
final class UpkeepProposer {
    /** The longest answer timeout Steward proposes; beyond it a model is broken, not slow (a routing proposal's job). */
    static final int MAX_TIMEOUT_SECONDS = 600;
    /** Fixable findings of a memory upkeep dry run that make a proposal; index drift alone always does. */
    static final int MIN_UPKEEP_FINDINGS = 5;

    private final int minFailures;

    UpkeepProposer(int minFailures) {
        this.minFailures = minFailures;
    }

    /**
     * At least {@code minFailures} calls to models of one locality ran out of time: propose twice the answer timeout
     * of that locality ({@code routing.local_timeout_seconds} or {@code routing.cloud_timeout_seconds}), at most
     * {@link #MAX_TIMEOUT_SECONDS}. A connect timeout is an unreachable server, not a slow one, and does not count.
     */
    List<Proposal> timeouts(List<Analysis.Call> calls, List<Route> routes, RoutingConfig routing, String base,
                            long now) {
        List<Proposal> out = new ArrayList<>();
        for (Locality locality : List.of(Locality.LOCAL, Locality.CLOUD)) {
            List<String> ofLocality = routes.stream().filter(r -> r.locality() == locality).map(Route::id).toList();
            List<Analysis.Call> mine = calls.stream().filter(c -> ofLocality.contains(c.route())).toList();
            List<Analysis.Call> timedOut = mine.stream()
                    .filter(c -> c.failed() && "timeout".equals(Analysis.errorClass(c.error()))).toList();
            int current = locality == Locality.LOCAL ? routing.localTimeoutSeconds() : routing.cloudTimeoutSeconds();
            if (timedOut.size() < minFailures || current >= MAX_TIMEOUT_SECONDS) {
                continue;
            }
            int proposed = Math.min(MAX_TIMEOUT_SECONDS, current * 2);
            String key = locality.name().toLowerCase(Locale.ROOT) + "_timeout_seconds";
            Map<String, Integer> byModel = new TreeMap<>();
            timedOut.forEach(c -> byModel.merge(c.route(), 1, Integer::sum));
            long slowestOk = mine.stream().filter(c -> !c.failed()).mapToLong(Analysis.Call::latencyMs).max().orElse(0);
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("timeouts", timedOut.size());
            evidence.put("calls", mine.size());
            evidence.put("timeout_seconds", current);
            evidence.put("by_model", byModel);
            evidence.put("slowest_answer_ms", slowestOk);
            evidence.put("examples", timedOut.stream().map(Analysis.Call::error).distinct().limit(3)
                    .map(e -> Text.abbreviate(e, 160)).toList());
            out.add(new Proposal(Ids.ordered(), "configuration:routing." + key + ":" + proposed,
                    Proposal.Kind.CONFIGURATION, "Give " + locality.name().toLowerCase(Locale.ROOT) + " models "
                            + proposed + " s to answer: " + timedOut.size() + " of " + mine.size() + " calls timed out"
                            + " at " + current + " s (" + String.join(", ", byModel.keySet()) + ")",
                    null, Json.mapper().valueToTree(evidence),
                    new Change.SetRouting(key, String.valueOf(current), String.valueOf(proposed)), null,
                    Proposal.Status.PENDING, base, null, null, now, null, null));
        }
        return out;
    }

    /**
     * A user's memory upkeep dry run found at least {@link #MIN_UPKEEP_FINDINGS} things it would fix, or a search
     * index that disagrees with the rows: propose the run. The key names the findings, so the same mess is proposed
     * once, and a new one after it is tidied.
     */
    List<Proposal> memoryUpkeep(List<MemoryUpkeep.Report> dryRuns, int staleDays, String base, long now) {
        List<Proposal> out = new ArrayList<>();
        for (MemoryUpkeep.Report report : dryRuns) {
            List<MemoryUpkeep.Finding> fixable = report.findings().stream().filter(MemoryUpkeep.Finding::fixable)
                    .toList();
            Map<String, Integer> byKind = new TreeMap<>();
            fixable.forEach(f -> byKind.merge(f.kind().id(), 1, Integer::sum));
            if (fixable.size() < MIN_UPKEEP_FINDINGS && !byKind.containsKey(MemoryUpkeep.Kind.INDEX_DRIFT.id())) {
                continue;
            }
            String targets = fixable.stream().map(f -> f.kind().id() + ":" + f.targetId()).sorted()
                    .collect(Collectors.joining(","));
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("fixable", byKind);
            evidence.put("waiting_for_you", report.findings().size() - fixable.size());
            evidence.put("findings", fixable.stream().limit(10)
                    .map(f -> Map.of("kind", f.kind().id(), "description", f.description(), "fix", f.fix())).toList());
            out.add(new Proposal(Ids.ordered(), "memory:" + report.userId() + ":" + Integer.toHexString(targets
                            .hashCode()), Proposal.Kind.MEMORY, "Tidy the memory of " + report.userId() + ": "
                            + byKind.entrySet().stream().map(e -> e.getValue() + " " + MemoryUpkeep.Kind.valueOf(
                                    e.getKey().toUpperCase(java.util.Locale.ROOT)).counted())
                            .collect(Collectors.joining(", ")) + " (steward memory upkeep --apply)",
                    report.userId(), Json.mapper().valueToTree(evidence),
                    new Change.RunMemoryUpkeep(report.userId(), staleDays, byKind, null), null,
                    Proposal.Status.PENDING, base, null, null, now, null, null));
        }
        return out;
    }
}
