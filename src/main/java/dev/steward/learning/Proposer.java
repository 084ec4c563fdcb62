package dev.steward.learning;

import dev.steward.router.Locality;
import dev.steward.router.Route;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Turns what an analysis found into concrete, typed proposals, each with its evidence. */
final class Proposer {
    private final int minFailures;

    Proposer(int minFailures) {
        this.minFailures = minFailures;
    }

    /**
     * A broken model behind an alias: send the alias to the healthiest other model. A model is broken when at least
     * {@code minFailures} of its calls failed and they are at least half of its calls.
     */
    List<Proposal> routing(List<Findings.FailureGroup> failures, List<Findings.ModelCost> models,
                           Map<String, String> aliases, List<Route> routes, String base, long now) {
        Map<String, Integer> failedByModel = new LinkedHashMap<>();
        failures.forEach(f -> failedByModel.merge(f.subject(), f.count(), Integer::sum));
        List<Proposal> out = new ArrayList<>();
        failedByModel.forEach((model, failed) -> {
            int total = models.stream().filter(m -> m.model().equals(model)).mapToInt(Findings.ModelCost::calls).sum();
            if (failed < minFailures || failed * 2 < total) {
                return;
            }
            aliases.forEach((alias, target) -> {
                if (!sameModel(target, model)) {
                    return;
                }
                healthiestOther(model, models, routes).ifPresent(to -> {
                    List<Findings.FailureGroup> why = failures.stream().filter(f -> f.subject().equals(model)).toList();
                    String classes = why.stream().map(Findings.FailureGroup::errorClass).distinct()
                            .collect(Collectors.joining(", "));
                    out.add(new Proposal(Ids.ordered(), "routing:" + alias + ":" + model, Proposal.Kind.ROUTING,
                            "Send alias \"" + alias + "\" to " + to + ": " + failed + " of " + total + " calls to "
                                    + model + " failed (" + classes + ")",
                            null, Json.mapper().valueToTree(Map.of("failures", why, "calls", total)),
                            new Change.PointAlias(alias, target, to), null, Proposal.Status.PENDING, base, null, null,
                            now, null, null));
                });
            });
        });
        return out;
    }

    private static boolean sameModel(String aliasTarget, String route) {
        return aliasTarget.equalsIgnoreCase(route) || route.toLowerCase(Locale.ROOT)
                .endsWith("/" + aliasTarget.toLowerCase(Locale.ROOT));
    }

    /**
     * The model to send a broken model's traffic to: among the other configured models, those that answered well
     * recently first (by success, then cost), then untried ones of the same locality; never the offline model.
     */
    static Optional<String> healthiestOther(String broken, List<Findings.ModelCost> models, List<Route> routes) {
        Locality brokenLocality = routes.stream().filter(r -> r.id().equals(broken)).map(Route::locality).findFirst()
                .orElse(null);
        return routes.stream()
                .filter(r -> !r.id().equals(broken) && r.locality() != Locality.OFFLINE)
                .min(Comparator.<Route>comparingDouble(r -> -successRate(r.id(), models))
                        .thenComparing(r -> r.locality() == brokenLocality ? 0 : 1)
                        .thenComparingDouble(r -> r.inputPrice() + r.outputPrice()))
                .filter(r -> successRate(r.id(), models) != 0 || models.stream().noneMatch(m -> m.model().equals(r.id())))
                .map(Route::id);
    }

    private static double successRate(String route, List<Findings.ModelCost> models) {
        return models.stream().filter(m -> m.model().equals(route)).findFirst()
                .map(m -> m.calls() == 0 ? 0.5 : (m.calls() - m.errors()) / (double) m.calls())
                .orElse(0.5); // untried: better than failing, worse than proven
    }

    /** Wishes a user expressed about one kind of task at least twice become a preference for that kind. */
    List<Proposal> preferences(List<Findings.FeedbackPattern> feedback, String base, long now) {
        List<Proposal> out = new ArrayList<>();
        for (Findings.FeedbackPattern p : feedback) {
            Map<Style, Integer> said = new LinkedHashMap<>();
            p.comments().forEach(c -> Style.of(c).forEach(s -> said.merge(s, 1, Integer::sum)));
            Set<Style> repeated = new TreeSet<>();
            said.forEach((style, times) -> {
                if (times >= 2) {
                    repeated.add(style);
                }
            });
            if (repeated.isEmpty()) {
                continue;
            }
            List<String> lines = Style.instructions(repeated);
            String key = "preference:" + p.userId() + ":" + p.taskType() + ":"
                    + repeated.stream().map(Style::name).collect(Collectors.joining("+"));
            out.add(new Proposal(Ids.ordered(), key, Proposal.Kind.PREFERENCE,
                    "For " + p.taskType() + " requests of " + p.userId() + ": " + String.join(" ", lines),
                    p.userId(), Json.mapper().valueToTree(p), new Change.AddPreference(p.userId(), p.taskType(), lines),
                    null, Proposal.Status.PENDING, base, null, null, now, null, null));
        }
        return out;
    }
}
