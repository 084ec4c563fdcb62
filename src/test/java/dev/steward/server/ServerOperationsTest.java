package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ToolContext;
import dev.steward.config.Role;
import dev.steward.identity.Accounts;
import dev.steward.server.Client.Response;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What operators rely on: metrics in Prometheus' format, rate limits, the OpenAPI description, admin views. */
class ServerOperationsTest {
    @TempDir
    Path home;

    // One sample line of the text exposition format 0.0.4: name, optional labels, value, optional timestamp.
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\",?)*)})?"
                    + " (-?[0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");

    /** One parsed sample. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** Parses the exposition strictly: every line is a HELP, a TYPE or a sample of a family typed before it. */
    static List<Sample> parse(String text) {
        Set<String> typed = new HashSet<>();
        List<Sample> samples = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ")) {
                continue;
            }
            Matcher type = TYPE.matcher(line);
            if (type.matches()) {
                assertThat(typed.add(type.group(1))).as("one TYPE line per family: " + line).isTrue();
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("a valid sample line: " + line).isTrue();
            String name = sample.group(1);
            assertThat(typed).as("the family of " + name + " is typed before it")
                    .anyMatch(f -> name.equals(f) || name.startsWith(f + "_"));
            Map<String, String> labels = new HashMap<>();
            if (sample.group(3) != null) {
                Matcher label = LABEL.matcher(sample.group(3));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(name, labels, Double.parseDouble(sample.group(4).replace("+Inf", "Infinity"))));
        }
        return samples;
    }

    @Test
    void metricsParseAsPrometheusTextAndShowModelToolTaskHttpAndJvmSeries() {
        try (Gateway server = new Gateway(home, null)) {
            Client admin = Client.withKey(server, server.keyOf("root", Role.ADMIN));
            Client alice = Client.withKey(server, server.key);
            assertThat(alice.post("/api/chat", "{\"message\": \"count me\"}").status()).isEqualTo(200);
            server.services.gate().call("files.list", Json.object(), new ToolContext(server.alice.id(), null, Role.STANDARD));
            assertThat(alice.get("/metrics").status()).as("metrics are for admins").isEqualTo(403);
            for (int i = 0; i < 3; i++) {
                assertThat(alice.get("/v1/models").status()).isEqualTo(200);
            }

            Response metrics = admin.get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.raw().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
            List<Sample> samples = parse(metrics.raw().body());
            assertThat(samples).anyMatch(s -> s.name().equals("steward_model_calls_total")
                    && "test".equals(s.labels().get("provider")) && "ok".equals(s.labels().get("outcome"))
                    && s.value() >= 1);
            assertThat(samples).anyMatch(s -> s.name().equals("steward_model_tokens_total")
                    && "in".equals(s.labels().get("direction")) && s.value() > 0);
            assertThat(samples).anyMatch(s -> s.name().equals("steward_model_call_latency_seconds_bucket")
                    && "+Inf".equals(s.labels().get("le")) && s.value() >= 1);
            assertThat(samples).anyMatch(s -> s.name().equals("steward_model_cost_dollars_total"));
            assertThat(samples).anyMatch(s -> s.name().equals("steward_model_cache_hits_total"));
            assertThat(samples).anyMatch(s -> s.name().equals("steward_model_fallbacks_total"));
            assertThat(samples).anyMatch(s -> s.name().equals("steward_answer_cache_lookups_total")
                    && "semantic".equals(s.labels().get("cache")) && "hit".equals(s.labels().get("result")));
            assertThat(samples).anyMatch(s -> s.name().equals("steward_tool_calls_total")
                    && "files.list".equals(s.labels().get("tool")) && "ok".equals(s.labels().get("outcome"))
                    && s.value() == 1);
            assertThat(samples).anyMatch(s -> s.name().equals("steward_tasks")
                    && "done".equals(s.labels().get("state")) && s.value() >= 1);
            assertThat(samples).anyMatch(s -> s.name().equals("steward_tasks") && "running".equals(s.labels().get("state")));
            assertThat(samples).anyMatch(s -> s.name().equals("steward_approvals_pending"));
            assertThat(samples).anyMatch(s -> s.name().equals("http_server_requests_seconds_bucket")
                    && "/api/chat".equals(s.labels().get("route")) && "200".equals(s.labels().get("status")));
            assertThat(samples).anyMatch(s -> s.name().equals("http_server_requests_seconds_count")
                    && "/metrics".equals(s.labels().get("route")) && "403".equals(s.labels().get("status")));
            assertThat(samples).as("each request counted in its route's series, the first and the ones after")
                    .anyMatch(s -> s.name().equals("http_server_requests_seconds_count")
                            && "/v1/models".equals(s.labels().get("route")) && "200".equals(s.labels().get("status"))
                            && s.value() == 3);
            assertThat(samples).anyMatch(s -> s.name().equals("jvm_memory_used_bytes"));
        }
    }

    @Test
    void budgetsShowInMetricsAndStats() {
        var budgets = new dev.steward.config.BudgetConfig(null, null,
                new dev.steward.config.BudgetConfig.Limits(null, 5.0, null), null, null);
        try (Gateway server = new Gateway(home, budgets)) {
            Client admin = Client.withKey(server, server.keyOf("root", Role.ADMIN));
            List<Sample> samples = parse(admin.get("/metrics").raw().body());
            assertThat(samples).anyMatch(s -> s.name().equals("steward_budget_limit_dollars")
                    && "daily".equals(s.labels().get("period")) && s.value() == 5.0);
            assertThat(samples).anyMatch(s -> s.name().equals("steward_budget_used_dollars"));
            JsonNode stats = admin.get("/api/stats").json();
            assertThat(stats.get("scope").asText()).isEqualTo("all users");
            assertThat(stats.get("budgets")).anyMatch(b -> b.get("scope").asText().equals("global")
                    && b.get("period").asText().equals("daily") && b.get("limit_micros").asLong() == 5_000_000);
            JsonNode settings = admin.get("/api/settings").json();
            assertThat(settings.at("/budgets/global/daily").asDouble()).isEqualTo(5.0);
        }
    }

    @Test
    void anAdminChangesRoutingAndBudgetsInTheFileKeepingItsComments() throws Exception {
        try (Gateway server = new Gateway(home, null)) {
            Path file = home.resolve("steward.yaml");
            java.nio.file.Files.writeString(file, """
                    # my notes about routing
                    routing:
                      mode: auto   # for now
                      retries: 2

                    # keep this comment
                    cache:
                      enabled: false
                    """);
            Client admin = Client.withKey(server, server.keyOf("root", Role.ADMIN));
            Response changed = admin.send("PUT", "/api/settings", """
                    {"routing": {"mode": "local"}, "budgets": {"on_exceeded": "refuse", "global": {"daily": 3.5}}}""");
            assertThat(changed.status()).as(changed.raw().body()).isEqualTo(200);
            assertThat(changed.json().get("restart_required").asBoolean()).isTrue();
            String text = java.nio.file.Files.readString(file);
            assertThat(text).as("keys not sent (retries) keep their values")
                    .startsWith("# my notes about routing\nrouting:\n  mode: local\n  retries: 2\n\n# keep this comment\n"
                    + "cache:\n  enabled: false\n").contains("budgets:\n  on_exceeded: refuse\n  global:\n    daily: 3.5");
            var reloaded = new dev.steward.config.ConfigLoader(Map.of("STEWARD_HOME", home.toString())).load();
            assertThat(reloaded.routing().mode()).isEqualTo(dev.steward.config.RoutingMode.LOCAL);
            assertThat(reloaded.budgets().global().daily()).isEqualTo(3.5);
            assertThat(admin.get("/api/audit?limit=5").json().get("entries"))
                    .anyMatch(e -> e.get("kind").asText().equals("configuration"));

            assertThat(admin.get("/api/settings").json().at("/routing/retries").isMissingNode())
                    .as("the whole routing section in effect is shown, not just its mode").isFalse();
            assertThat(admin.send("PUT", "/api/settings", "{\"routing\": {\"retries\": null}}").status())
                    .isEqualTo(200);
            assertThat(java.nio.file.Files.readString(file)).as("a null removes its key, as in a JSON Merge Patch")
                    .contains("routing:\n  mode: local\n\n");
            text = java.nio.file.Files.readString(file);

            Response bad = admin.send("PUT", "/api/settings", "{\"routing\": {\"mode\": \"fastest\"}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().at("/error/message").asText()).contains("fastest");
            assertThat(java.nio.file.Files.readString(file)).as("a refused change leaves the file alone").isEqualTo(text);
            assertThat(admin.send("PUT", "/api/settings", "{\"providers\": {}}").status()).isEqualTo(400);
            assertThat(Client.withKey(server, server.key).send("PUT", "/api/settings", "{\"routing\": {}}").status())
                    .isEqualTo(403);
        }
    }

    @Test
    void aSettingsChangeIsCheckedWithTheServersEnvironmentSoVariableReferencesStayValid() throws Exception {
        try (Gateway server = new Gateway(home, null)) {
            Path file = home.resolve("steward.yaml");
            java.nio.file.Files.writeString(file, """
                    providers:
                      - name: vllm
                        kind: openai
                        base_url: http://127.0.0.1:8000/v1
                        api_key: ${PATH}
                    """);
            Client admin = Client.withKey(server, server.keyOf("root", Role.ADMIN));

            Response changed = admin.send("PUT", "/api/settings", "{\"routing\": {\"mode\": \"local\"}}");

            assertThat(changed.status()).as(changed.raw().body()).isEqualTo(200);
            assertThat(java.nio.file.Files.readString(file)).contains("api_key: ${PATH}").contains("mode: local");
        }
    }

    @Test
    void eachUserHasARateLimitAnd429SaysWhenToRetry() {
        try (Gateway server = new Gateway(home, null, HttpServer.Options.defaults("127.0.0.1", 0)
                .withGraceMillis(5_000).withRateLimits(3, 0))) {
            Client alice = Client.withKey(server, server.key);
            Client aliceOtherKey = Client.withKey(server, server.accounts.createKey("alice", "second").secret());
            Client bob = Client.withKey(server, server.keyOf("bob", Role.STANDARD));
            assertThat(alice.get("/api/auth/me").status()).isEqualTo(200);
            assertThat(alice.get("/api/auth/me").status()).isEqualTo(200);
            assertThat(aliceOtherKey.get("/api/auth/me").status()).isEqualTo(200);
            Response limited = aliceOtherKey.get("/api/auth/me");
            assertThat(limited.status()).as("the user's fourth request, whatever the key").isEqualTo(429);
            assertThat(limited.errorCode()).isEqualTo("rate_limited");
            assertThat(Long.parseLong(limited.raw().headers().firstValue("Retry-After").orElseThrow()))
                    .isBetween(1L, 60L);
            assertThat(limited.json().at("/error/message").asText()).contains("3 per minute");
            assertThat(bob.get("/api/auth/me").status()).as("another user is not held up").isEqualTo(200);
            Response gateway = alice.get("/v1/models");
            assertThat(gateway.status()).isEqualTo(429);
            assertThat(gateway.json().at("/error/type").asText()).as("OpenAI's shape under /v1")
                    .isEqualTo("rate_limit_error");
        }
    }

    @Test
    void eachKeyHasARateLimitOfItsOwn() {
        try (Gateway server = new Gateway(home, null, HttpServer.Options.defaults("127.0.0.1", 0)
                .withGraceMillis(5_000).withRateLimits(0, 2))) {
            Client first = Client.withKey(server, server.key);
            Client second = Client.withKey(server, server.accounts.createKey("alice", "second").secret());
            assertThat(first.get("/api/tasks").status()).isEqualTo(200);
            assertThat(first.get("/api/tasks").status()).isEqualTo(200);
            assertThat(first.get("/api/tasks").status()).isEqualTo(429);
            assertThat(second.get("/api/tasks").status()).isEqualTo(200);
        }
    }

    @Test
    void theOpenApiDescriptionListsEveryRegisteredRoute() {
        try (Gateway server = new Gateway(home, null)) {
            JsonNode openApi = Client.withKey(server, server.key).get("/api/openapi.json").json();
            assertThat(openApi.get("openapi").asText()).startsWith("3.");
            List<String> routes = server.server.registeredRoutes();
            assertThat(routes).hasSizeGreaterThan(25);
            for (String route : routes) {
                String method = route.substring(0, route.indexOf(' ')).toLowerCase(java.util.Locale.ROOT);
                String path = route.substring(route.indexOf(' ') + 1);
                assertThat(openApi.at("/paths").has(path)).as(route + " is described").isTrue();
                assertThat(openApi.at("/paths").get(path).has(method)).as(route + " is described").isTrue();
                assertThat(openApi.at("/paths").get(path).get(method).get("summary").asText()).isNotBlank();
            }
            Iterator<String> described = openApi.get("paths").fieldNames();
            described.forEachRemaining(p -> assertThat(routes).anyMatch(r -> r.endsWith(" " + p)));
        }
    }

    @Test
    void aStopEndsOpenEventStreamsInsteadOfWaitingForThem() throws Exception {
        Gateway server = new Gateway(home, null, HttpServer.Options.defaults("127.0.0.1", 0)
                .withGraceMillis(20_000).withHeartbeat(Duration.ofSeconds(30)));
        var response = Client.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/api/events")))
                .header("Authorization", "Bearer " + server.key).build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
        try (var lines = response.body()) {
            Iterator<String> it = lines.iterator();
            assertThat(it.next()).isEqualTo(": stream open");
            long started = System.nanoTime();
            server.close();
            while (it.hasNext()) {
                it.next();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the stop did not wait out the grace period")
                    .isLessThan(Duration.ofSeconds(15));
        }
    }
}
