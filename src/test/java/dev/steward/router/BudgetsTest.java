package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.BudgetConfig;
import dev.steward.config.BudgetConfig.Limits;
import dev.steward.config.BudgetConfig.OnExceeded;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.store.Database;
import dev.steward.support.MovableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dollar budgets: refuse or fall back at 100%, alert at 80%, and hold under concurrency. */
class BudgetsTest {
    /**
     * Prices are $1 per million tokens in and out, so a token costs one micro-dollar. A call of "hi" answered with
     * 1,000 tokens costs $0.001005 and reserves at most $0.001006 (the prompt estimate with its margin, plus
     * max_tokens).
     */
    static final Usage USAGE = new Usage(5, 1_000);
    static final long CALL_COST = 1_005;

    @TempDir
    Path home;

    Database database;
    ModelCallLog log;
    MovableClock clock = new MovableClock(Instant.parse("2026-11-21T10:15:00Z"));

    @BeforeEach
    void openDatabase() {
        database = Database.open(home, DatabaseConfig.embedded());
        log = new ModelCallLog(database);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    Router router(BudgetConfig budgets, ChatModel cloudModel, ChatModel localModel) {
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("openai", cloudModel.name(), Locality.CLOUD, "cloud", 1.0, 1.0, 0, cloudModel));
        if (localModel != null) {
            routes.add(new Route("ollama", localModel.name(), Locality.LOCAL, "local", 0, 0, 0, localModel));
        }
        return new Router(RoutingConfig.defaults().withMode(RoutingMode.AUTO), () -> routes, log,
                new Budgets(budgets, log, clock, 5_000), null, clock);
    }

    static BudgetConfig dailyGlobal(double dollars, OnExceeded onExceeded) {
        return new BudgetConfig(onExceeded, 0.8, new Limits(null, dollars, null), null, null);
    }

    static ChatRequest request() {
        return new ChatRequest(List.of(ChatMessage.user("hi")), List.of(), null, null, 1_000, false);
    }

    @Test
    void aSpentBudgetRefusesWithTheLimitTheSpendAndTheReset() {
        ScriptedModel gpt = new ScriptedModel("gpt", "openai").thenAnswer("ok", USAGE).repeatingLast();
        Router router = router(dailyGlobal(0.0025, OnExceeded.REFUSE), gpt, null);

        router.chat(request(), CallContext.of("alice"));
        router.chat(request(), CallContext.of("alice"));

        assertThatThrownBy(() -> router.chat(request(), CallContext.of("alice")))
                .isInstanceOfSatisfying(RoutingException.OverBudget.class, e -> {
                    assertThat(e.period()).isEqualTo("daily");
                    assertThat(e.scope()).isEqualTo("global");
                    assertThat(e.limitMicros()).isEqualTo(2_500);
                    assertThat(e.spentMicros()).isEqualTo(2 * CALL_COST);
                    assertThat(e.resetsAt()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
                })
                .hasMessageContaining("daily global budget of $0.0025");
        assertThat(gpt.calls()).isEqualTo(2);
    }

    @Test
    void byDefaultASpentBudgetFallsBackToTheLocalModelVisibly() {
        ScriptedModel gpt = new ScriptedModel("gpt", "openai").thenAnswer("cloud", USAGE).repeatingLast();
        ScriptedModel llama = new ScriptedModel("llama", "ollama").thenAnswer("local", USAGE).repeatingLast();
        Router router = router(dailyGlobal(0.0012, OnExceeded.FALLBACK), gpt, llama);

        RoutedResponse first = router.chat(request(), CallContext.of("alice"));
        RoutedResponse second = router.chat(request(), CallContext.of("alice"));

        assertThat(first.locality()).isEqualTo(Locality.CLOUD);
        assertThat(first.notices()).anyMatch(n -> n.contains("budget alert") && n.contains("84%"));
        assertThat(second.locality()).isEqualTo(Locality.LOCAL);
        assertThat(second.costMicros()).isZero();
        assertThat(second.fallbackPath()).contains("over budget");
        assertThat(second.notices()).anyMatch(n -> n.contains("is spent") && n.contains("cheaper model"));
    }

    @Test
    void perUserBudgetsAreSeparateAndNamedUsersGetTheirOwn() {
        ScriptedModel gpt = new ScriptedModel("gpt", "openai").thenAnswer("ok", USAGE).repeatingLast();
        BudgetConfig budgets = new BudgetConfig(OnExceeded.REFUSE, 0.8, null, new Limits(null, 0.0015, null),
                Map.of("boss", new Limits(null, 1.0, null)));
        Router router = router(budgets, gpt, null);

        router.chat(request(), CallContext.of("alice"));
        assertThatThrownBy(() -> router.chat(request(), CallContext.of("alice")))
                .isInstanceOf(RoutingException.OverBudget.class).hasMessageContaining("user alice");
        router.chat(request(), CallContext.of("bob"));
        router.chat(request(), CallContext.of("boss"));
        router.chat(request(), CallContext.of("boss"));
    }

    @Test
    void spendRecordedByAnotherProcessCountsOnceTheLedgerRefreshes() {
        ScriptedModel gpt = new ScriptedModel("gpt", "openai").thenAnswer("ok", USAGE).repeatingLast();
        Router router = router(dailyGlobal(0.003, OnExceeded.REFUSE), gpt, null);
        router.chat(request(), CallContext.of("alice"));

        ModelCallLog otherProcess = new ModelCallLog(database);
        otherProcess.record(new ModelCall("other", null, "bob", "openai", "gpt", Locality.CLOUD, "", null, 0, 0,
                1_500, 1, null, false, "ok", null, clock.millis()));
        otherProcess.close();
        clock.advance(java.time.Duration.ofSeconds(6));

        assertThatThrownBy(() -> router.chat(request(), CallContext.of("alice")))
                .isInstanceOf(RoutingException.OverBudget.class);
    }

    @Test
    void twoHundredParallelCallsAgainstANearlySpentBudgetOverspendByAtMostOneCall() throws Exception {
        // Each call blocks until all are in flight, so admission is decided under full contention.
        int parallel = 200;
        CountDownLatch allStarted = new CountDownLatch(1);
        AtomicInteger answered = new AtomicInteger();
        ChatModel slowCloud = new ChatModel() {
            @Override
            public String name() {
                return "gpt";
            }

            @Override
            public String provider() {
                return "openai";
            }

            @Override
            public ChatResponse chat(ChatRequest request) {
                try {
                    allStarted.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answered.incrementAndGet();
                return new ChatResponse("ok", List.of(), USAGE, "gpt", ChatResponse.FinishReason.STOP);
            }
        };
        long limit = 100_000; // $0.10
        // Already spent: all but room for about ten calls.
        log.record(new ModelCall("earlier", null, "alice", "openai", "gpt", Locality.CLOUD, "", null, 0, 0,
                limit - 10 * CALL_COST - 500, 1, null, false, "ok", null, clock.millis()));
        Router router = router(dailyGlobal(limit / 1e6, OnExceeded.REFUSE), slowCloud, null);

        List<Future<Object>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < parallel; i++) {
                results.add(pool.submit(() -> {
                    try {
                        return router.chat(request(), CallContext.of("u" + Thread.currentThread().threadId()));
                    } catch (RoutingException.OverBudget refused) {
                        return refused;
                    }
                }));
            }
            Thread.sleep(300);
            allStarted.countDown();
        }
        long refused = 0;
        for (Future<Object> result : results) {
            if (result.get() instanceof RoutingException.OverBudget) {
                refused++;
            }
        }
        log.flush();
        long spent = log.spentSince(0, null);

        assertThat(refused).isGreaterThan(150);
        assertThat(answered.get()).isEqualTo(parallel - (int) refused).isPositive();
        assertThat(spent).isLessThanOrEqualTo(limit + CALL_COST);
    }
}
