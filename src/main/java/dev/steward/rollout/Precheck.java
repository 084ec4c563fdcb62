package dev.steward.rollout;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.RoutedResponse;
import dev.steward.router.Route;
import dev.steward.router.Router;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What is checked before a rollout starts: the alias exists, the candidate is a model Steward knows and it answers;
 * prices and context lengths side by side. Deep, it also replays recent requests (the inputs of the latest tasks)
 * against both models and compares answers, latency and cost.
 */
public final class Precheck {
    /** How many recorded requests a deep check replays. */
    static final int DEEP_SAMPLE = 5;

    /** One line of the report. */
    public record Check(String name, boolean ok, String detail) {}

    public record Report(String alias, Route baseline, Route candidate, List<Check> checks) {
        public boolean ok() {
            return checks.stream().allMatch(Check::ok);
        }

        public ObjectNode json() {
            ObjectNode node = Json.object().put("alias", alias).put("baseline", baseline.id())
                    .put("candidate", candidate.id()).put("ok", ok());
            ArrayNode list = node.putArray("checks");
            checks.forEach(c -> list.addObject().put("name", c.name()).put("ok", c.ok()).put("detail", c.detail()));
            return node;
        }
    }

    private final Router router;
    private final Database database;

    public Precheck(Router router, Database database) {
        this.router = router;
        this.database = database;
    }

    /** The alias's current model, or a NOT_FOUND error naming the aliases there are. */
    public String baselineOf(String alias) {
        String target = router.aliases().get(alias.toLowerCase(Locale.ROOT));
        if (target == null) {
            throw new RolloutException(RolloutException.Kind.NOT_FOUND, "no routing alias named " + alias,
                    router.aliases().isEmpty() ? "add one under routing.aliases in steward.yaml, like 'assistant: "
                            + "openai/gpt-4o-mini'" : "use one of: " + String.join(", ", router.aliases().keySet()));
        }
        return target;
    }

    /** The model a name means, or a NOT_FOUND error naming it and the models there are. */
    public Route model(String name) {
        Optional<Route> route = router.routes().stream().filter(r -> r.id().equalsIgnoreCase(name)).findFirst()
                .or(() -> router.routes().stream().filter(r -> r.model().equalsIgnoreCase(name)).findFirst());
        return route.orElseThrow(() -> new RolloutException(RolloutException.Kind.NOT_FOUND, "unknown model " + name,
                "use one of: " + String.join(", ", router.routes().stream().map(Route::id).toList())
                        + " ('steward models' lists them)"));
    }

    public Report run(String alias, String candidateName, boolean deep) {
        Route baseline = model(baselineOf(alias));
        Route candidate = model(candidateName);
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("config", !candidate.id().equals(baseline.id()), candidate.id().equals(baseline.id())
                ? "alias " + alias + " already points at " + candidate.id() : "alias " + alias + " → " + baseline.id()));
        checks.add(reachable(candidate));
        checks.add(new Check("price", true, String.format(Locale.ROOT, "per million tokens in/out: baseline $%.2f/$%.2f,"
                        + " candidate $%.2f/$%.2f", baseline.inputPrice(), baseline.outputPrice(), candidate.inputPrice(),
                candidate.outputPrice())));
        boolean shorter = candidate.contextLength() > 0 && baseline.contextLength() > candidate.contextLength();
        checks.add(new Check("context", true, "context: baseline " + tokens(baseline) + ", candidate "
                + tokens(candidate) + (shorter ? " (shorter: long requests will fail over to the baseline)" : "")));
        if (deep) {
            checks.add(replay(baseline, candidate));
        }
        return new Report(alias, baseline, candidate, checks);
    }

    private Check reachable(Route candidate) {
        try {
            RoutedResponse answer = ask(candidate, "Reply with the single word: ready");
            return new Check("reachable", true, candidate.id() + " answered in " + answer.latencyMs() + " ms");
        } catch (RuntimeException e) {
            return new Check("reachable", false, candidate.id() + " did not answer: " + e.getMessage());
        }
    }

    private Check replay(Route baseline, Route candidate) {
        List<String> inputs = database.jdbi().withHandle(h -> h.createQuery("SELECT input FROM tasks"
                + " ORDER BY created_at DESC LIMIT " + DEEP_SAMPLE).mapTo(String.class).list());
        if (inputs.isEmpty()) {
            return new Check("replay", true, "no recorded requests to replay yet");
        }
        double agreement = 0;
        long baseMs = 0, candMs = 0, baseCost = 0, candCost = 0;
        int failures = 0;
        for (String input : inputs) {
            RoutedResponse before = ask(baseline, input);
            baseMs += before.latencyMs();
            baseCost += before.costMicros();
            try {
                RoutedResponse after = ask(candidate, input);
                candMs += after.latencyMs();
                candCost += after.costMicros();
                agreement += Agreement.of(before.response(), after.response());
            } catch (RuntimeException e) {
                failures++;
            }
        }
        int n = inputs.size();
        int answered = n - failures;
        return new Check("replay", failures == 0, String.format(Locale.ROOT, "%d recorded requests: candidate failed %d;"
                        + " agreement %.0f%%; mean latency %d ms vs %d ms; cost $%.6f vs $%.6f", n, failures,
                answered == 0 ? 0 : 100 * agreement / answered, answered == 0 ? 0 : candMs / answered, baseMs / n,
                candCost / 1e6, baseCost / 1e6));
    }

    private RoutedResponse ask(Route route, String text) {
        return router.chat(new ChatRequest(List.of(ChatMessage.user(text)), List.of(), route.id(), null, 200, false),
                CallContext.of(null));
    }

    private static String tokens(Route r) {
        return r.contextLength() > 0 ? r.contextLength() + " tokens" : "unknown";
    }
}
