package dev.steward.bench;

import dev.steward.config.BudgetConfig;
import dev.steward.config.CacheConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.Budgets;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatModel;
import dev.steward.router.ChatRequest;
import dev.steward.router.ChatResponse;
import dev.steward.router.Locality;
import dev.steward.router.ModelCallLog;
import dev.steward.router.ResponseCache;
import dev.steward.router.Route;
import dev.steward.router.RoutedResponse;
import dev.steward.router.Router;
import dev.steward.router.Usage;
import dev.steward.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The router's own work per call — plan the route, check the cache, reserve and settle the budget, record the
 * call — against a model that answers instantly, so that only the router is measured. Run with bench/router.sh.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterBenchmark {
    private Path home;
    private Router router;
    private long counter;
    private final ChatRequest repeated = new ChatRequest(
            List.of(ChatMessage.system("You are terse."), ChatMessage.user("What is the capital of France?")),
            List.of(), null, 0.0, 64, false);

    /** Answers at once with a fixed usage, like a model with zero latency. */
    static final class InstantModel implements ChatModel {
        private static final ChatResponse ANSWER = new ChatResponse("Paris.", List.of(), new Usage(24, 3),
                "instant", ChatResponse.FinishReason.STOP);

        @Override
        public String name() {
            return "instant";
        }

        @Override
        public String provider() {
            return "bench";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            return ANSWER;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        home = Files.createTempDirectory("steward-bench");
        Database database = Database.open(home, DatabaseConfig.embedded());
        ModelCallLog log = new ModelCallLog(database);
        Clock clock = Clock.systemUTC();
        Route route = new Route("bench", "instant", Locality.CLOUD, "cloud", 0.15, 0.60, 128_000, new InstantModel());
        BudgetConfig budgets = new BudgetConfig(BudgetConfig.OnExceeded.FALLBACK, 0.8,
                new BudgetConfig.Limits(null, 1_000_000.0, null), new BudgetConfig.Limits(null, 1_000_000.0, null), null);
        router = new Router(RoutingConfig.defaults().withMode(RoutingMode.AUTO), () -> List.of(route), log,
                new Budgets(budgets, log, clock, 5_000), ResponseCache.open(CacheConfig.defaults(), database, clock), clock);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        router.close();
    }

    /** A new deterministic request every time: cache miss, model call, budget, record and cache store. */
    @Benchmark
    public RoutedResponse routeMiss() {
        ChatRequest request = new ChatRequest(List.of(ChatMessage.user("question number " + counter++)),
                List.of(), null, 0.0, 64, false);
        return router.chat(request, CallContext.of("bench"));
    }

    /** The same deterministic request: answered from the cache, still recorded. */
    @Benchmark
    public RoutedResponse routeCacheHit() {
        return router.chat(repeated, CallContext.of("bench"));
    }

    /** A request that may not be cached (default temperature): plan, budget, call, record. */
    @Benchmark
    public RoutedResponse routeUncached() {
        return router.chat(ChatRequest.of(repeated.messages(), List.of()), CallContext.of("bench"));
    }
}
