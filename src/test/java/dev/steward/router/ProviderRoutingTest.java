package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.CacheConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.ModelConfig;
import dev.steward.config.ProviderConfig;
import dev.steward.config.ProviderKind;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The router over real providers speaking HTTP to fake servers on loopback. */
class ProviderRoutingTest {
    @TempDir
    Path home;

    Database database;
    ModelCallLog log;

    @BeforeEach
    void openDatabase() {
        database = Database.open(home, DatabaseConfig.embedded());
        log = new ModelCallLog(database);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    Router router(RoutingConfig routing, ProviderConfig... providers) {
        return new Router(routing, new ModelCatalog(List.of(providers), routing, false), log, null,
                ResponseCache.open(CacheConfig.defaults(), database, Clock.systemUTC()), Clock.systemUTC());
    }

    static ChatRequest ask(String text) {
        return ChatRequest.of(List.of(ChatMessage.user(text)), List.of());
    }

    @Test
    void aProviderWithoutConfiguredModelsIsAskedForThemAndAnswers() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.models("text-embedding-3-small", "qwen2.5-7b-instruct")
                    .defaultReply(FakeReply.text("Bonjour!").usage(12, 3));
            ProviderConfig fromEnvironment = new ProviderConfig("openai", ProviderKind.OPENAI, server.baseUrl(),
                    "sk-local", List.of(), "OPENAI_BASE_URL");

            RoutedResponse response = router(RoutingConfig.defaults(), fromEnvironment)
                    .chat(ask("say hello in French"), CallContext.of("local"));

            assertThat(response.response().text()).isEqualTo("Bonjour!");
            assertThat(response.model()).as("the embedding model is not a chat model").isEqualTo("qwen2.5-7b-instruct");
            assertThat(response.locality()).as("a server on loopback is local").isEqualTo(Locality.LOCAL);
            assertThat(ModelCallRows.all(database)).singleElement().satisfies(call -> {
                assertThat(call.tokensIn()).isEqualTo(12);
                assertThat(call.tokensOut()).isEqualTo(3);
                assertThat(call.locality()).isEqualTo(Locality.LOCAL);
            });
        }
    }

    @Test
    void killingThePrimaryProviderMidRunFallsBackWithoutAFailedRequest() {
        try (FakeOpenAiServer backup = FakeOpenAiServer.start()) {
            backup.defaultReply(FakeReply.text("from the backup").usage(5, 2));
            FakeOpenAiServer primary = FakeOpenAiServer.start();
            primary.defaultReply(FakeReply.text("from the primary").usage(5, 2));
            Router router = router(new RoutingConfig(RoutingMode.AUTO, null, null, 1, 5, 5, null),
                    provider("primary", primary, "big", "cloud", 1.0),
                    provider("backup", backup, "small", "local", 0));

            int failures = 0;
            int fromBackup = 0;
            for (int i = 0; i < 12; i++) {
                if (i == 4) {
                    primary.close();
                }
                try {
                    RoutedResponse response = router.chat(ask("request " + i), CallContext.of("local"));
                    fromBackup += response.provider().equals("backup") ? 1 : 0;
                } catch (RuntimeException e) {
                    failures++;
                }
            }

            assertThat(failures).isZero();
            assertThat(fromBackup).isEqualTo(8);
            assertThat(ModelCallRows.all(database)).filteredOn(c -> c.provider().equals("backup"))
                    .allSatisfy(c -> assertThat(c.fallbackPath()).contains("primary/big"));
        }
    }

    @Test
    void aRateLimitedProviderIsRetriedAfterTheTimeItAsksFor() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.enqueue(FakeOpenAiServer.rateLimited("1"), FakeReply.text("patience pays").usage(3, 2));
            Router router = router(RoutingConfig.defaults(), provider("vllm", server, "m", "local", 0));

            long started = System.nanoTime();
            RoutedResponse response = router.chat(ask("hi there, please summarise"), CallContext.of("local"));
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(response.response().text()).isEqualTo("patience pays");
            assertThat(response.fallbackPath()).isNull();
            assertThat(waitedMillis).as("Retry-After: 1 was honoured").isGreaterThanOrEqualTo(900);
            assertThat(server.requests()).filteredOn(r -> r.path().endsWith("/chat/completions")).hasSize(2);
        }
    }

    @Test
    void costIsChargedFromThePriceTableToTheMicroDollar() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.defaultReply(FakeReply.text("ok").usage(1_234, 567));
            ProviderConfig priced = new ProviderConfig("cloudish", ProviderKind.OPENAI, server.baseUrl(), "k",
                    List.of(new ModelConfig("gpt-4o-mini", "cloud", 0.15, 0.60, 128_000, null)), "steward.yaml");

            RoutedResponse response = router(RoutingConfig.defaults(), priced).chat(ask("hi"), CallContext.of("local"));

            // 1,234 × $0.15/M + 567 × $0.60/M = 185.1 + 340.2 micro-dollars
            assertThat(response.costMicros()).isEqualTo(525);
            assertThat(response.locality()).isEqualTo(Locality.CLOUD);
        }
    }

    private static ProviderConfig provider(String name, FakeOpenAiServer server, String model, String tier, double price) {
        return new ProviderConfig(name, ProviderKind.OPENAI, server.baseUrl(), "k",
                List.of(new ModelConfig(model, tier, price, price, 0, null)), "steward.yaml");
    }
}
