package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every model call goes through the router and leaves one model_calls row, whatever its outcome. */
class RouterTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    ModelCallLog log;
    final CallContext context = new CallContext("local", null);

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void openDatabase() {
        database = Database.open(home, DatabaseConfig.embedded());
        log = new ModelCallLog(database);
    }

    static ChatRequest ask(String text) {
        return ChatRequest.of(List.of(ChatMessage.user(text)), List.of());
    }

    @Test
    void routesToTheOfflineModelWhenNoProviderIsConfigured() {
        Router router = new Router(List.of(), log, RoutingMode.AUTO);

        RoutedResponse routed = router.chat(ask("hello"), context);

        assertThat(router.offline()).isTrue();
        assertThat(routed.provider()).isEqualTo("offline");
        assertThat(routed.model()).isEqualTo("offline");
        assertThat(routed.reason()).isEqualTo("no model provider configured");
        assertThat(routed.response().text()).startsWith("Hello!");
        assertThat(routed.costMicros()).isZero();
    }

    @Test
    void routesToTheOfflineModelInOfflineModeEvenWithAProvider() {
        ScriptedModel scripted = new ScriptedModel().thenAnswer("from the provider");
        Router router = new Router(List.of(scripted), log, RoutingMode.OFFLINE);

        RoutedResponse routed = router.chat(ask("hello"), context);

        assertThat(router.offline()).isTrue();
        assertThat(routed.model()).isEqualTo("offline");
        assertThat(routed.reason()).isEqualTo("routing.mode is offline");
        assertThat(scripted.calls()).isZero();
    }

    @Test
    void routesToTheFirstConfiguredModel() {
        ScriptedModel first = new ScriptedModel("first", "test").thenAnswer("one");
        ScriptedModel second = new ScriptedModel("second", "test").thenAnswer("two");
        Router router = new Router(List.of(first, second), log, RoutingMode.AUTO);

        RoutedResponse routed = router.chat(ask("hello"), context);

        assertThat(router.offline()).isFalse();
        assertThat(routed.response().text()).isEqualTo("one");
        assertThat(routed.model()).isEqualTo("first");
        assertThat(routed.provider()).isEqualTo("test");
        assertThat(first.lastRequest()).isEqualTo(ask("hello"));
        assertThat(second.calls()).isZero();
    }

    @Test
    void recordsEachSuccessfulCall() {
        ScriptedModel scripted = new ScriptedModel().thenAnswer("hi", new Usage(42, 7));
        Router router = new Router(List.of(scripted), log, RoutingMode.AUTO);
        long before = System.currentTimeMillis();

        RoutedResponse routed = router.chat(ask("hello"), new CallContext("local", "task1"));

        assertThat(ModelCallRows.all(database)).singleElement().satisfies(call -> {
            assertThat(call.id()).isNotBlank();
            assertThat(call.taskId()).isEqualTo("task1");
            assertThat(call.userId()).isEqualTo("local");
            assertThat(call.provider()).isEqualTo("test");
            assertThat(call.model()).isEqualTo("scripted");
            assertThat(call.routeReason()).isEqualTo("auto: local models only");
            assertThat(call.tokensIn()).isEqualTo(42);
            assertThat(call.tokensOut()).isEqualTo(7);
            assertThat(call.latencyMs()).isEqualTo(routed.latencyMs()).isNotNegative();
            assertThat(call.cacheHit()).isFalse();
            assertThat(call.outcome()).isEqualTo("ok");
            assertThat(call.error()).isNull();
            assertThat(call.createdAt()).isBetween(before, System.currentTimeMillis());
        });
    }

    @Test
    void recordsOfflineCallsWithTheirEstimatedTokens() {
        Router router = new Router(List.of(), log, RoutingMode.AUTO);

        RoutedResponse routed = router.chat(ask("what can you do?"), context);

        assertThat(ModelCallRows.all(database)).singleElement().satisfies(call -> {
            assertThat(call.model()).isEqualTo("offline");
            assertThat(call.tokensIn()).isEqualTo(routed.response().usage().inputTokens()).isPositive();
            assertThat(call.tokensOut()).isEqualTo(routed.response().usage().outputTokens()).isPositive();
            assertThat(call.outcome()).isEqualTo("ok");
        });
    }

    @Test
    void recordsAFailedCallAndPassesTheFailureOn() {
        Router router = new Router(List.of(new ScriptedModel().thenFail("provider is down")), log, RoutingMode.AUTO);

        assertThatThrownBy(() -> router.chat(ask("summarise the report"), new CallContext("local", "task1")))
                .isInstanceOf(RoutingException.NoModelAvailable.class).hasMessageContaining("provider is down");

        assertThat(ModelCallRows.all(database)).singleElement().satisfies(call -> {
            assertThat(call.taskId()).isEqualTo("task1");
            assertThat(call.outcome()).isEqualTo("error");
            assertThat(call.error()).isEqualTo("provider is down");
            assertThat(call.tokensIn()).isZero();
            assertThat(call.tokensOut()).isZero();
        });
    }

    @Test
    void recordsAProviderBugAsAFailedCall() {
        Router router = new Router(List.of(new ScriptedModel().thenThrow(new NullPointerException("oops"))), log,
                RoutingMode.AUTO);

        assertThatThrownBy(() -> router.chat(ask("summarise the report"), context))
                .isInstanceOf(RoutingException.NoModelAvailable.class)
                .hasMessageContaining("scripted").hasMessageContaining("oops");

        assertThat(ModelCallRows.all(database)).singleElement().satisfies(call -> {
            assertThat(call.outcome()).isEqualTo("error");
            assertThat(call.error()).contains("oops");
        });
    }

    @Test
    void recordsAnInterruptedCallAsCancelledNotAsAnError() throws Exception {
        ScriptedModel scripted = new ScriptedModel().thenBlockUntilInterrupted();
        Router router = new Router(List.of(scripted), log, RoutingMode.AUTO);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                router.chat(ask("hello"), context);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        assertThat(scripted.awaitBlocked(Duration.ofSeconds(5))).isTrue();

        caller.interrupt();
        caller.join(Duration.ofSeconds(5));

        assertThat(thrown.get()).isInstanceOf(ModelException.class);
        assertThat(ModelCallRows.all(database)).singleElement()
                .satisfies(call -> assertThat(call.outcome()).isEqualTo("cancelled"));
        assertThat(log.usageSince(0)).singleElement().satisfies(usage -> {
            assertThat(usage.calls()).isEqualTo(1);
            assertThat(usage.errors()).isZero();
        });
    }

    @Test
    void streamsTextAsTheModelHandsItOut() {
        Router router = new Router(List.of(new ScriptedModel().thenAnswer("one two three")), log, RoutingMode.AUTO);
        List<String> chunks = new ArrayList<>();

        RoutedResponse routed = router.stream(ask("count"), context, chunk -> chunks.add(chunk.text()));

        assertThat(chunks).containsExactly("one ", "two ", "three");
        assertThat(String.join("", chunks)).isEqualTo(routed.response().text());
    }

    @Test
    void sumsUsagePerModel() {
        ScriptedModel scripted = new ScriptedModel().thenAnswer("a", new Usage(10, 1)).thenAnswer("b", new Usage(20, 2))
                .thenFail("down");
        Router router = new Router(List.of(scripted), log, RoutingMode.AUTO);
        Router offline = new Router(List.of(), log, RoutingMode.AUTO);
        router.chat(ask("1"), context);
        router.chat(ask("2"), context);
        assertThatThrownBy(() -> router.chat(ask("3"), context)).isInstanceOf(RoutingException.NoModelAvailable.class);
        offline.chat(ask("hello"), context);

        List<ModelUsage> usage = log.usageSince(0);

        assertThat(usage).extracting(ModelUsage::model).containsExactlyInAnyOrder("scripted", "offline");
        assertThat(usage).filteredOn(u -> u.model().equals("scripted")).singleElement().satisfies(u -> {
            assertThat(u.provider()).isEqualTo("test");
            assertThat(u.calls()).isEqualTo(3);
            assertThat(u.errors()).isEqualTo(1);
            assertThat(u.tokensIn()).isEqualTo(30);
            assertThat(u.tokensOut()).isEqualTo(3);
            assertThat(u.costMicros()).isZero();
        });
        assertThat(log.usageSince(System.currentTimeMillis() + 60_000)).isEmpty();
    }
}
