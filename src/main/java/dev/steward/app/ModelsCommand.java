package dev.steward.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.router.ProviderProbe;
import dev.steward.router.Route;
import dev.steward.router.Router;
import dev.steward.support.Json;
import dev.steward.support.Text;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"The models Steward routes to, with where they run, tier, price and live health.",
                "Route names (steward/auto, steward/local, …) can be used wherever a model is named."})
final class ModelsCommand implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Steward steward = parent.steward();
        Router router = steward.router();
        List<Route> routes = router.routes();
        Map<String, ProviderProbe> health = steward.catalog().probe().stream()
                .collect(Collectors.toMap(ProviderProbe::provider, Function.identity(), (a, b) -> a));
        if (output.json) {
            ObjectNode root = Json.object().put("mode", router.mode().id());
            ArrayNode models = root.putArray("models");
            for (Route r : routes) {
                ProviderProbe probe = health.get(r.provider());
                models.addObject().put("id", r.id()).put("locality", r.locality().id()).put("tier", r.tier())
                        .put("input_price_per_million", r.inputPrice()).put("output_price_per_million", r.outputPrice())
                        .put("context_length", r.contextLength())
                        .put("healthy", probe != null && probe.ok())
                        .put("health", describe(probe));
            }
            models.addObject().put("id", "offline/offline").put("locality", "offline").put("tier", "offline")
                    .put("healthy", true).put("health", "built in");
            Router.ALIASES.keySet().stream().sorted().forEach(root.putArray("aliases")::add);
            System.out.println(Json.pretty(root));
            return Main.OK;
        }
        System.out.println("Routing mode: " + router.mode().id());
        System.out.printf("%-36s %-8s %-12s %16s %9s  %s%n", "MODEL", "WHERE", "TIER", "$/M IN / OUT", "CONTEXT", "HEALTH");
        for (Route r : routes) {
            System.out.printf(Locale.ROOT, "%-36s %-8s %-12s %16s %9s  %s%n", Text.abbreviate(r.id(), 36),
                    r.locality().id(), Text.abbreviate(r.tier(), 12),
                    r.priced() ? String.format(Locale.ROOT, "%.2f / %.2f", r.inputPrice(), r.outputPrice()) : "free",
                    r.contextLength() > 0 ? r.contextLength() : "?", describe(health.get(r.provider())));
        }
        System.out.printf("%-36s %-8s %-12s %16s %9s  %s%n", "offline/offline", "offline", "offline", "free", "-",
                "built in (the last resort)");
        if (routes.isEmpty()) {
            System.out.println("\nNo model provider is connected; 'steward doctor' shows how to connect one.");
        }
        System.out.println("\nRoute names: " + String.join(", ", Router.ALIASES.keySet().stream().sorted().toList()));
        return Main.OK;
    }

    static String describe(ProviderProbe probe) {
        if (probe == null) {
            return "unknown";
        }
        if (probe.ok()) {
            return "ok (" + probe.latency().toMillis() + " ms, " + probe.modelCount() + " models listed)";
        }
        return (probe.reachable() ? "refused: " : "down: ") + probe.error();
    }
}
