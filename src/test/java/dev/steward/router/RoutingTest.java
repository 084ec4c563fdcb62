package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.CacheConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.store.Database;
import dev.steward.support.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the router chooses, falls back, retries, caches and escalates — with scripted models, no network. */
class RoutingTest {
    @TempDir
    Path home;

    Database database;
    ModelCallLog log;
    MovableClock clock = new MovableClock(Instant.parse("2026-11-21T10:00:00Z"));

    @BeforeEach
    void openDatabase() {
        database = Database.open(home, DatabaseConfig.embedded());
        log = new ModelCallLog(database);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    static Route local(ScriptedModel model) {
        return new Route("ollama", model.name(), Locality.LOCAL, "local-fast", 0, 0, 0, model);
    }

    static Route localSmart(ScriptedModel model) {
        return new Route("ollama", model.name(), Locality.LOCAL, "local-smart", 0, 0, 0, model);
    }

    static Route cloud(ScriptedModel model) {
        return new Route("openai", model.name(), Locality.CLOUD, "cloud", 0.15, 0.60, 128_000, model);
    }

    Router router(RoutingConfig config, AnswerCache cache, Route... routes) {
        Supplier<List<Route>> catalog = () -> List.of(routes);
        return new Router(config, catalog, log, null, cache, clock);
    }

    static RoutingConfig mode(RoutingMode mode) {
        return RoutingConfig.defaults().withMode(mode);
    }

    static ChatRequest ask(String text) {
        return ChatRequest.of(List.of(ChatMessage.user(text)), List.of());
    }

    static ChatRequest deterministic(String text) {
        return new ChatRequest(List.of(ChatMessage.user(text)), List.of(), null, 0.0, null, false);
    }

    List<ModelCall> calls() {
        log.flush();
        return ModelCallRows.all(database);
    }

    @Test
    void autoModePrefersCloudWhenKeyedAndLocalModeNeverTouchesCloud() {
        ScriptedModel gpt = new ScriptedModel("gpt-4o-mini", "openai").thenAnswer("from the cloud").repeatingLast();
        ScriptedModel llama = new ScriptedModel("llama3.2", "ollama").thenAnswer("from home").repeatingLast();

        RoutedResponse auto = router(mode(RoutingMode.AUTO), null, local(llama), cloud(gpt)).chat(ask("hi"), CallContext.of("u"));
        RoutedResponse localOnly = router(mode(RoutingMode.LOCAL), null, local(llama), cloud(gpt)).chat(ask("hi"), CallContext.of("u"));

        assertThat(auto.model()).isEqualTo("gpt-4o-mini");
        assertThat(auto.reason()).contains("auto");
        assertThat(localOnly.model()).isEqualTo("llama3.2");
        assertThat(gpt.calls()).isEqualTo(1);
    }

    @Test
    void hybridSendsSimpleWorkLocalAndComplexWorkToTheCloud() {
        ScriptedModel gpt = new ScriptedModel("gpt-4o", "openai").thenAnswer("deep").repeatingLast();
        ScriptedModel llama = new ScriptedModel("llama3.2", "ollama").thenAnswer("quick").repeatingLast();
        Router router = router(mode(RoutingMode.HYBRID), null, local(llama), cloud(gpt));

        RoutedResponse simple = router.chat(ask("what time zone is Paris in?"), CallContext.of("u"));
        RoutedResponse complex = router.chat(ask("analyze our pricing strategy and compare the trade-offs"),
                CallContext.of("u"));
        RoutedResponse hinted = router.chat(ask("hi"), new CallContext("u", null, null, Complexity.CRITICAL, 0));

        assertThat(simple.locality()).isEqualTo(Locality.LOCAL);
        assertThat(simple.reason()).contains("hybrid").contains("local first");
        assertThat(complex.locality()).isEqualTo(Locality.CLOUD);
        assertThat(complex.reason()).contains("demanding");
        assertThat(hinted.locality()).isEqualTo(Locality.CLOUD);
    }

    @Test
    void complexWorkPrefersTheSmarterLocalModel() {
        ScriptedModel fast = new ScriptedModel("llama3.2:3b", "ollama").thenAnswer("fast").repeatingLast();
        ScriptedModel smart = new ScriptedModel("qwen2.5:32b", "ollama").thenAnswer("smart").repeatingLast();
        Router router = router(mode(RoutingMode.LOCAL), null, local(fast), localSmart(smart));

        assertThat(router.chat(ask("hello"), CallContext.of("u")).model()).isEqualTo("llama3.2:3b");
        assertThat(router.chat(ask("hello"), new CallContext("u", null, "manager", null, 0)).model())
                .isEqualTo("qwen2.5:32b");
    }

    @Test
    void aFailingProviderFallsBackToTheNextAndEveryTryIsRecorded() {
        ScriptedModel gpt = new ScriptedModel("gpt-4o-mini", "openai")
                .thenFail("openai/gpt-4o-mini: HTTP 400 bad request");
        ScriptedModel llama = new ScriptedModel("llama3.2", "ollama").thenAnswer("from home");

        RoutedResponse response = router(mode(RoutingMode.AUTO), null, local(llama), cloud(gpt))
                .chat(ask("hi"), CallContext.of("u"));

        assertThat(response.model()).isEqualTo("llama3.2");
        assertThat(response.fallbackPath()).contains("openai/gpt-4o-mini: ").contains("→ ollama/llama3.2");
        assertThat(calls()).extracting(ModelCall::outcome).containsExactly("error", "ok");
    }

    @Test
    void retryableFailuresAreRetriedAtTheSameModelBeforeFallingBack() {
        ScriptedModel flaky = new ScriptedModel("llama3.2", "ollama")
                .thenThrow(new ModelException("ollama: HTTP 503", true))
                .thenAnswer("second time lucky");

        RoutedResponse response = router(mode(RoutingMode.LOCAL), null, local(flaky)).chat(ask("hi"), CallContext.of("u"));

        assertThat(response.response().text()).isEqualTo("second time lucky");
        assertThat(response.fallbackPath()).isNull();
        assertThat(flaky.calls()).isEqualTo(2);
    }

    @Test
    void theOfflineModelIsTheLastResortOfARoutedCall() {
        ScriptedModel broken = new ScriptedModel("llama3.2", "ollama")
                .thenThrow(new ModelException("connection refused", false)).repeatingLast();

        RoutedResponse response = router(mode(RoutingMode.LOCAL), null, local(broken)).chat(ask("hello"), CallContext.of("u"));

        assertThat(response.model()).isEqualTo(OfflineModel.NAME);
        assertThat(response.locality()).isEqualTo(Locality.OFFLINE);
        assertThat(response.fallbackPath()).contains("connection refused");
    }

    @Test
    void aCallThatNamesAModelGetsThatModelOrAClearError() {
        ScriptedModel llama = new ScriptedModel("llama3.2", "ollama")
                .thenThrow(new ModelException("connection refused", false)).repeatingLast();
        Router router = router(mode(RoutingMode.AUTO), null, local(llama));

        assertThatThrownBy(() -> router.chat(withModel("gpt-5"), CallContext.of("u")))
                .isInstanceOf(RoutingException.UnknownModel.class)
                .hasMessageContaining("gpt-5")
                .hasMessageContaining("ollama/llama3.2")
                .hasMessageContaining("steward/auto");
        assertThatThrownBy(() -> router.chat(withModel("ollama/llama3.2"), CallContext.of("u")))
                .isInstanceOf(RoutingException.NoModelAvailable.class)
                .hasMessageContaining("connection refused");
        assertThat(router.chat(withModel("steward/offline"), CallContext.of("u")).model()).isEqualTo("offline");
    }

    @Test
    void aProviderThatKeepsFailingIsSkippedOnceItsCircuitOpens() {
        ScriptedModel down = new ScriptedModel("gpt-4o-mini", "openai")
                .thenThrow(new ModelException("HTTP 503", true)).repeatingLast();
        ScriptedModel llama = new ScriptedModel("llama3.2", "ollama").thenAnswer("ok").repeatingLast();
        RoutingConfig noRetries = new RoutingConfig(RoutingMode.AUTO, null, null, 0, null, null, null);
        Router router = router(noRetries, null, local(llama), cloud(down));

        for (int i = 0; i < 4; i++) {
            router.chat(ask("hi"), CallContext.of("u"));
        }
        int callsWhenOpened = down.calls();
        RoutedResponse skipped = router.chat(ask("hi"), CallContext.of("u"));

        assertThat(callsWhenOpened).isEqualTo(4);
        assertThat(down.calls()).isEqualTo(4);
        assertThat(skipped.fallbackPath()).contains("circuit open");
        assertThat(skipped.model()).isEqualTo("llama3.2");
    }

    @Test
    void aPromptLongerThanEveryContextIsRefusedWithTheTokenCounts() {
        ScriptedModel tiny = new ScriptedModel("tiny", "ollama").thenAnswer("never").repeatingLast();
        Route small = new Route("ollama", "tiny", Locality.LOCAL, "local", 0, 0, 50, tiny);
        Router router = router(mode(RoutingMode.LOCAL), null, small);

        assertThatThrownBy(() -> router.chat(ask("word ".repeat(400)), CallContext.of("u")))
                .isInstanceOfSatisfying(RoutingException.PromptTooLarge.class, e -> {
                    assertThat(e.contextLength()).isEqualTo(50);
                    assertThat(e.promptTokens()).isGreaterThan(50);
                });
        assertThat(tiny.calls()).isZero();
    }

    @Test
    void deterministicRequestsAreAnsweredFromTheCachePerUserAndAcrossRestarts() {
        ScriptedModel llama = new ScriptedModel("llama3.2", "ollama").thenAnswer("Paris").repeatingLast();
        CacheConfig cacheConfig = CacheConfig.defaults();
        Router router = router(mode(RoutingMode.LOCAL), new ResponseCache(cacheConfig, database, clock), local(llama));

        RoutedResponse first = router.chat(deterministic("capital of France?"), CallContext.of("alice"));
        RoutedResponse second = router.chat(deterministic("capital of France?"), CallContext.of("alice"));
        RoutedResponse otherUser = router.chat(deterministic("capital of France?"), CallContext.of("bob"));
        router.chat(ask("capital of France?"), CallContext.of("alice"));
        router.close();

        assertThat(first.cacheHit()).isFalse();
        assertThat(second.cacheHit()).isTrue();
        assertThat(second.response().text()).isEqualTo("Paris");
        assertThat(second.costMicros()).isZero();
        assertThat(otherUser.cacheHit()).isFalse();
        assertThat(llama.calls()).as("alice twice from cache once, bob, and one non-deterministic call").isEqualTo(3);

        log = new ModelCallLog(database);
        Router restarted = router(mode(RoutingMode.LOCAL), new ResponseCache(cacheConfig, database, clock), local(llama));
        assertThat(restarted.chat(deterministic("capital of France?"), CallContext.of("alice")).cacheHit()).isTrue();
        clock.advance(Duration.ofHours(2));
        assertThat(restarted.chat(deterministic("capital of France?"), CallContext.of("alice")).cacheHit())
                .as("expired after the one-hour TTL").isFalse();
        assertThat(calls()).filteredOn(ModelCall::cacheHit).hasSize(2);
    }

    @Test
    void anUnsureLocalAnswerIsEscalatedToTheCloudWithoutReachingTheCaller() {
        ScriptedModel llama = new ScriptedModel("llama3.2", "ollama").thenAnswer("I'm not sure, maybe 42?");
        ScriptedModel gpt = new ScriptedModel("gpt-4o", "openai").thenAnswer("It is 17.");
        RoutingConfig escalating = new RoutingConfig(RoutingMode.HYBRID, 0.5, true, null, null, null, null);
        List<String> streamed = new ArrayList<>();

        RoutedResponse response = router(escalating, null, local(llama), cloud(gpt))
                .stream(ask("what is 8 + 9?"), CallContext.of("u"), chunk -> streamed.add(chunk.text()));

        assertThat(response.model()).isEqualTo("gpt-4o");
        assertThat(response.fallbackPath()).contains("low-confidence");
        assertThat(String.join("", streamed)).isEqualTo("It is 17.");
        assertThat(calls()).extracting(ModelCall::outcome).containsExactly("low_confidence", "ok");
    }

    private static ChatRequest withModel(String model) {
        return new ChatRequest(List.of(ChatMessage.user("hi")), List.of(), model, null, null, false);
    }

}
