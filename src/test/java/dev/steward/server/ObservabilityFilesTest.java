package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.BudgetConfig;
import dev.steward.config.Role;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a started server exports at /metrics, and the operator's files built on it: every series an alert or a
 * dashboard needs is there from start-up, and deploy/prometheus and deploy/grafana name only metrics Steward exports.
 */
class ObservabilityFilesTest {
    static final Path DEPLOY = Path.of("deploy");
    /** Series Prometheus makes itself rather than scraping them. */
    static final Set<String> FROM_PROMETHEUS = Set.of("up");
    /** A metric selector: a name followed by its label matchers or a range. */
    static final Pattern SELECTOR = Pattern.compile("(?<![\\w\"$.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]");
    /** Any name of a family Steward exports, wherever it stands in an expression. */
    static final Pattern OURS = Pattern.compile("\\b((?:steward|jvm|process|http_server|system)_[a-z0-9_]+)\\b");

    @TempDir
    static Path home;
    static Gateway gateway;
    static String adminKey;

    @BeforeAll
    static void start() {
        // A daily budget, as the budget alert and the cost dashboard expect one.
        gateway = new Gateway(home, new BudgetConfig(BudgetConfig.OnExceeded.FALLBACK, null,
                new BudgetConfig.Limits(null, 25.0, null), null, null));
        adminKey = gateway.keyOf("ops", Role.ADMIN);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void everySeriesExistsFromStartUpWithZeroForEachKnownModelToolAndOutcome() throws Exception {
        String metrics = scrape();
        assertThat(metrics).contains(
                "steward_model_calls_total{model=\"fast\",outcome=\"ok\",provider=\"test\"} 0.0",
                "steward_model_calls_total{model=\"fast\",outcome=\"error\",provider=\"test\"} 0.0",
                "steward_model_calls_total{model=\"offline\",outcome=\"ok\",provider=\"offline\"} 0.0",
                "steward_model_tokens_total{direction=\"in\",model=\"slow\",outcome=\"ok\",provider=\"test\"} 0.0",
                "steward_model_cost_dollars_total{model=\"broken\",outcome=\"error\",provider=\"test\"} 0.0",
                "steward_model_call_latency_seconds_count{model=\"tiny\",outcome=\"ok\",provider=\"test\"} 0",
                "steward_tool_calls_total{outcome=\"ok\",tool=\"files.read\"} 0.0",
                "steward_tool_calls_total{outcome=\"failed\",tool=\"files.write\"} 0.0",
                "steward_tasks{state=\"failed\"} 0.0",
                "steward_approvals_pending 0.0",
                "steward_approvals_oldest_pending_seconds 0.0",
                "steward_audit_chain_ok 1.0",
                "steward_budget_used_dollars{period=\"daily\"} 0.0",
                "steward_budget_limit_dollars{period=\"daily\"} 25.0");
        assertThat(metrics).containsPattern("steward_disk_free_bytes\\{path=\"[^\"]+\"} [1-9]");
        assertThat(metrics).containsPattern("steward_info\\{version=\"[^\"]+\"} 1");
    }

    @Test
    void theOfflineModelsCallsCountAsModelCalls() throws Exception {
        gateway.router.chat(new ChatRequest(List.of(ChatMessage.user("help")), null, "steward/offline", null, null, false),
                CallContext.of(gateway.alice.id()));
        gateway.database.flushBackgroundWrites();
        assertThat(scrape()).contains(
                "steward_model_calls_total{model=\"offline\",outcome=\"ok\",provider=\"offline\"} 1.0");
    }

    @Test
    void alertRulesAndDashboardsNameOnlyMetricsStewardExports() throws Exception {
        Set<String> exported = seriesNames(scrape());
        List<String> expressions = new ArrayList<>();
        String rules = Files.readString(DEPLOY.resolve("prometheus/rules/steward.rules.yml"));
        new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(rules).path("groups").forEach(group -> group.path("rules")
                .forEach(rule -> expressions.add(rule.path("expr").asText())));
        assertThat(expressions).hasSize(7);
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(DEPLOY.resolve("grafana/dashboards"))) {
            dashboards = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(dashboards).extracting(p -> p.getFileName().toString())
                .containsExactly("models.json", "overview.json", "tasks.json", "tools.json");
        for (Path dashboard : dashboards) {
            List<String> queries = new ArrayList<>();
            collectExpressions(Json.parse(Files.readString(dashboard)), queries);
            assertThat(queries).as(dashboard + " has queries").isNotEmpty();
            expressions.addAll(queries);
        }

        Set<String> named = new TreeSet<>();
        for (String expression : expressions) {
            Matcher selector = SELECTOR.matcher(expression);
            while (selector.find()) {
                named.add(selector.group(1));
            }
            Matcher ours = OURS.matcher(expression);
            while (ours.find()) {
                named.add(ours.group(1));
            }
        }
        named.removeAll(FROM_PROMETHEUS);
        assertThat(named).as("metric names in the rules and dashboards").hasSizeGreaterThan(15);
        assertThat(named).allSatisfy(name -> assertThat(exported).as("exported by /metrics").contains(name));
    }

    /** The name of every sample line: what a query can select. */
    static Set<String> seriesNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    private static void collectExpressions(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("expr")) {
                    into.add(e.getValue().asText());
                } else {
                    collectExpressions(e.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectExpressions(child, into));
        }
    }

    private static String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(gateway.url("/metrics"))).header("Authorization", "Bearer " + adminKey).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
