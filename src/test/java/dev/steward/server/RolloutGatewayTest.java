package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.BuiltinTools;
import dev.steward.actions.Tools;
import dev.steward.agent.Agent;
import dev.steward.agent.TaskRunner;
import dev.steward.agent.TaskStore;
import dev.steward.config.ActionsConfig;
import dev.steward.config.AliasFile;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.ModelConfig;
import dev.steward.config.ProviderConfig;
import dev.steward.config.ProviderKind;
import dev.steward.config.Role;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.config.StewardConfig;
import dev.steward.identity.Accounts;
import dev.steward.memory.Memory;
import dev.steward.memory.PatternFactExtractor;
import dev.steward.memory.SqlMemorySearch;
import dev.steward.rollout.Gates;
import dev.steward.rollout.Rollout;
import dev.steward.rollout.RolloutPlan;
import dev.steward.rollout.RolloutStatus;
import dev.steward.rollout.Rollouts;
import dev.steward.rollout.StateArchive;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ModelCatalog;
import dev.steward.router.Router;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts end to end: the real gateway, router and rollout engine over three fake OpenAI-compatible providers on
 * loopback — {@code up} (the baseline behind the aliases), {@code bad} (fails every call) and {@code good} (healthy).
 * Callers are twelve users with keys of their own, so that a sticky share splits them.
 */
class RolloutGatewayTest {
    @TempDir
    static Path home;

    static FakeOpenAiServer up, bad, good;
    static Database database;
    static Router router;
    static Rollouts rollouts;
    static HttpServer server;
    static TaskRunner runner;
    static final List<String> keys = new ArrayList<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Enough users that a 50% share almost surely puts some on each side (1 in 4096 that it does not). */
    static final int USERS = 12;

    @BeforeAll
    static void start() throws Exception {
        up = FakeOpenAiServer.start().models("fake-model").defaultReply(FakeReply.text("baseline says hi").usage(10, 5));
        bad = FakeOpenAiServer.start().models("fake-model")
                .defaultReply(FakeOpenAiServer.error(500, "server_error", null, "the candidate is broken"));
        good = FakeOpenAiServer.start().models("fake-model").defaultReply(FakeReply.text("candidate says hi").usage(10, 5));
        Files.writeString(home.resolve("steward.yaml"), """
                # my settings
                routing:
                  retries: 0
                  aliases:
                    assistant: up/fake-model   # the support bot
                    writer: up/fake-model
                """);
        database = Database.open(home, DatabaseConfig.embedded());
        ModelCallLog log = new ModelCallLog(database);
        RoutingConfig routing = new RoutingConfig(RoutingMode.AUTO, null, null, 0, null, null, null,
                Map.of("assistant", "up/fake-model", "writer", "up/fake-model"));
        List<ProviderConfig> providers = List.of(provider("up", up), provider("bad", bad), provider("good", good));
        AtomicReference<Router> routerRef = new AtomicReference<>();
        rollouts = new Rollouts(database, Clock.systemUTC(), new Rollouts.Promotion() {
            @Override
            public void persist(Rollout r) {
                StateArchive.export(home, database, home.resolve("checkpoints/before-" + r.name() + ".zip"));
                AliasFile.point(home.resolve("steward.yaml"), r.alias(), r.candidate());
            }

            @Override
            public void retarget(String alias, String model) {
                routerRef.get().pointAlias(alias, model);
            }
        });
        router = new Router(routing, new ModelCatalog(providers, routing, false), log, null, null, Clock.systemUTC(),
                rollouts);
        routerRef.set(router);
        StewardConfig config = new StewardConfig(home, home.resolve("steward.yaml"), routing, providers, null, null,
                null, null, null, null);
        TaskStore tasks = new TaskStore(database);
        ActionGate gate = new ActionGate(new Tools(BuiltinTools.create(ActionsConfig.defaults(), config.workspace())),
                ActionsConfig.defaults(), database, Clock.systemUTC());
        SqlMemorySearch search = new SqlMemorySearch(database);
        Memory memory = new Memory(database, search, new PatternFactExtractor(), Clock.systemUTC());
        runner = new TaskRunner(new Agent(router, tasks, gate, 4, memory), tasks);
        Accounts accounts = new Accounts(database, Clock.systemUTC());
        for (int i = 0; i < USERS; i++) {
            accounts.addUser("user" + i, i == 0 ? Role.ADMIN : Role.STANDARD, "password-" + i + "-long");
            keys.add(accounts.createKey("user" + i, "tests").secret());
        }
        Services services = new Services(config, database, router, log, tasks, runner, gate, memory, search, accounts,
                Json::object, Clock.systemUTC(), null, rollouts, null, null);
        server = HttpServer.start(HttpServer.Options.defaults("127.0.0.1", 0).withGraceMillis(2_000)
                .withRateLimits(0, 0), services, null);
    }

    static ProviderConfig provider(String name, FakeOpenAiServer fake) {
        return new ProviderConfig(name, ProviderKind.OPENAI, fake.baseUrl(), "sk-test",
                List.of(new ModelConfig("fake-model", "cloud", 1.0, 2.0, 100_000, List.of())), "steward.yaml");
    }

    @AfterAll
    static void stop() {
        server.stop();
        runner.close();
        router.close();
        rollouts.close();
        up.close();
        bad.close();
        good.close();
        database.close();
    }

    record Answer(int status, String model, String text) {}

    static Answer ask(String alias, int user) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + keys.get(user)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + alias
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}")).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.parse(response.body());
            return new Answer(response.statusCode(), response.headers().firstValue("x-steward-model").orElse(null),
                    body.path("choices").path(0).path("message").path("content").asText(null));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Authorization", "Bearer " + keys.get(0)).header("Content-Type", "application/json");
        return HTTP.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCandidateFailingEveryCallIsRolledBackByItselfWithNoFailedCallSeenAndNoTrafficAfter() throws Exception {
        rollouts.start("broken", "assistant", "up/fake-model", "bad/fake-model", RolloutPlan.parse("50%:500,100%"),
                new Gates(0.05, null, null, 5), "user0");
        List<Callable<Answer>> callers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int user = i % USERS;
            callers.add(() -> ask("assistant", user));
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Answer> answers = new ArrayList<>();
        for (Future<Answer> f : pool.invokeAll(callers)) {
            answers.add(f.get());
        }
        pool.shutdown();

        assertThat(answers).as("every one of 60 callers got an answer").allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.text()).isEqualTo("baseline says hi");
            assertThat(a.model()).isEqualTo("up/fake-model");
        });
        assertThat(bad.requests()).as("the canary share did reach the candidate").isNotEmpty();
        RolloutStatus status = rollouts.status("broken");
        assertThat(status.rollout().state()).isEqualTo(Rollout.State.ROLLED_BACK);
        assertThat(status.rollout().reason()).startsWith("gate failed: error rate");
        assertThat(status.timeline()).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo("notify");
            assertThat(e.message()).contains("to user0").contains("rolled back");
        });

        int candidateCalls = bad.requests().size();
        for (int i = 0; i < 12; i++) {
            assertThat(ask("assistant", i % USERS).model()).isEqualTo("up/fake-model");
        }
        assertThat(bad.requests()).as("no traffic after the rollback").hasSize(candidateCalls);

        JsonNode json = Json.parse(api("GET", "/api/rollouts/broken", null).body());
        assertThat(json.path("state").asText()).isEqualTo("rolled_back");
        assertThat(json.path("arms").path("candidate").path("errors").asLong()).isPositive();
        assertThat(json.path("arms").path("baseline").path("requests").asLong()).isPositive();
    }

    @Test
    void aHealthyCandidateGoesFromShadowToHalfToPromotedAndCallersGetTheBaselineDuringShadow() throws Exception {
        HttpResponse<String> started = api("POST", "/api/rollouts", """
                {"name": "healthy", "alias": "writer", "candidate": "good/fake-model",
                 "plan": "shadow:5,50%:8,100%", "min_requests": 3}""");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        assertThat(Json.parse(started.body()).path("phase").asText()).isEqualTo("shadow:5");

        for (int i = 0; i < 5; i++) {
            Answer a = ask("writer", 1);
            assertThat(a.model()).as("during shadow the baseline answers").isEqualTo("up/fake-model");
            assertThat(a.text()).isEqualTo("baseline says hi");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rollouts.find("healthy").phaseText().equals("50%:8"));
        assertThat(good.requests()).as("the shadow got a copy of each call").hasSize(5);
        assertThat(rollouts.status("healthy").candidate().agreement()).isNotNull();

        List<String> models = new ArrayList<>();
        for (int i = 0; i < 200 && rollouts.find("healthy").state() == Rollout.State.RUNNING; i++) {
            Answer a = ask("writer", i % USERS);
            assertThat(a.status()).isEqualTo(200);
            models.add(a.model());
        }
        assertThat(models).as("at 50%% both arms answered").contains("up/fake-model", "good/fake-model");
        assertThat(rollouts.find("healthy").state()).isEqualTo(Rollout.State.PROMOTED);
        assertThat(Files.readString(home.resolve("steward.yaml")))
                .contains("    writer: good/fake-model")
                .contains("# my settings").contains("assistant: up/fake-model   # the support bot");
        assertThat(home.resolve("checkpoints/before-healthy.zip")).exists();
        assertThat(router.aliases()).containsEntry("writer", "good/fake-model");
        assertThat(ask("writer", 0).model()).as("after promotion everyone gets the candidate")
                .isEqualTo("good/fake-model");
        assertThat(ask("writer", 1).model()).isEqualTo("good/fake-model");

        HttpResponse<String> again = api("POST", "/api/rollouts/healthy/pause", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(Json.parse(again.body()).path("error").path("message").asText()).contains("promoted");
    }
}
