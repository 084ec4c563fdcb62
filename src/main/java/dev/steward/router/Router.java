package dev.steward.router;

import dev.steward.config.BudgetConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.support.Ids;
import dev.steward.telemetry.TraceSpan;
import dev.steward.telemetry.Tracing;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Every model call goes through here, whoever makes it — the agent, the gateway, a tool. The router chooses the
 * model (mode, complexity, health, budget, context length), answers from the cache when it may, retries and falls
 * back, and records each call with its route reason, tokens, cost and latency. The offline model is the last
 * resort of every routed call; a call that names one model gets that model or a clear error.
 */
public final class Router implements AutoCloseable {
    /** Route names clients may use instead of a model. */
    public static final Map<String, RoutingMode> ALIASES = Map.of(
            "steward/auto", RoutingMode.AUTO, "steward/local", RoutingMode.LOCAL, "steward/cloud", RoutingMode.CLOUD,
            "steward/hybrid", RoutingMode.HYBRID, "steward/offline", RoutingMode.OFFLINE);
    /** Output tokens assumed for a budget reservation when the request sets no max_tokens. */
    static final int DEFAULT_OUTPUT_RESERVE = 1024;
    private static final Pattern UNSURE = Pattern.compile(
            "\\b(i'?m not sure|i am not sure|i don'?t know|i do not know|i cannot (help|answer)|i'?m unable to|as an ai)\\b");

    private final RoutingConfig config;
    private final Supplier<List<Route>> catalog;
    private volatile List<Route> routes;
    private final OfflineModel offlineModel = new OfflineModel();
    private final Route offline = Route.offline(offlineModel);
    private final ModelCallLog log;
    private final Budgets budgets;
    private final AnswerCache cache;
    private final Clock clock;
    private final ComplexityEstimator estimator = new ComplexityEstimator();
    private final AliasRouting aliases;
    private final SameProviderRetry retry;
    /** The routes of each locality in the order {@link #ordered} gives, for simple and complex work. */
    private volatile Map<String, List<Route>> orderedRoutes = Map.of();
    private final CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(10)
            .minimumNumberOfCalls(4)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(30))
            .permittedNumberOfCallsInHalfOpenState(1)
            .recordException(e -> e instanceof ModelException m && m.retryable())
            .build());

    /**
     * @param catalog the models to route to, asked for once on first use (it may call providers to discover them)
     * @param budgets null for no budgets
     * @param cache   null for no cache
     */
    public Router(RoutingConfig config, Supplier<List<Route>> catalog, ModelCallLog log, Budgets budgets,
                  AnswerCache cache, Clock clock) {
        this(config, catalog, log, budgets, cache, clock, AliasArbiter.NONE);
    }

    /** @param arbiter decides which arm of a routing alias answers each call (a rollout), or {@link AliasArbiter#NONE} */
    public Router(RoutingConfig config, Supplier<List<Route>> catalog, ModelCallLog log, Budgets budgets,
                  AnswerCache cache, Clock clock, AliasArbiter arbiter) {
        this.aliases = new AliasRouting(config.aliases(), arbiter);
        this.config = config;
        this.catalog = catalog;
        this.log = log;
        this.budgets = budgets;
        this.cache = cache;
        this.clock = clock;
        this.retry = new SameProviderRetry(config.retries());
    }

    /** A router over the given models, all treated as free local models, with no budgets and no cache. */
    public Router(List<ChatModel> models, ModelCallLog log, RoutingMode mode) {
        this(RoutingConfig.defaults().withMode(mode), () -> models.stream()
                .map(m -> new Route(m.provider(), m.name(), Locality.LOCAL, "local", 0, 0, 0, m)).toList(),
                log, null, null, Clock.systemUTC());
    }

    /** True when every call goes to the offline model. */
    public boolean offline() {
        return offline(config, routes());
    }

    /** Whether a router with this configuration and these models would answer every call offline. */
    public static boolean offline(RoutingConfig config, List<Route> routes) {
        return config.mode() == RoutingMode.OFFLINE || routes.isEmpty();
    }

    public RoutingMode mode() {
        return config.mode();
    }

    /** The configured models, without the offline model. */
    public List<Route> routes() {
        List<Route> loaded = routes;
        if (loaded == null) {
            synchronized (this) {
                if (routes == null) {
                    routes = List.copyOf(catalog.get());
                }
                loaded = routes;
            }
        }
        return loaded;
    }

    /** The cloud model whose prices local calls are compared with: as configured, else the priciest cloud model. */
    public Optional<Route> baseline() {
        if (!config.baselineModel().isBlank()) {
            return find(config.baselineModel());
        }
        return routes().stream().filter(r -> r.locality() == Locality.CLOUD)
                .max(Comparator.comparingDouble(r -> r.inputPrice() + r.outputPrice()));
    }

    /** Hits and misses of the answer caches since start-up; empty without a cache. */
    public List<AnswerCache.Counts> cacheCounts() {
        return cache == null ? List.of() : cache.counts();
    }

    public Optional<Budgets> budgets() {
        return Optional.ofNullable(budgets);
    }

    public RoutedResponse chat(ChatRequest request, CallContext context) {
        return stream(request, context, chunk -> {});
    }

    public RoutedResponse stream(ChatRequest request, CallContext context, Consumer<ChatChunk> onChunk) {
        Optional<String> alias = aliases.aliasOf(request.model());
        return alias.isPresent() ? aliases.route(alias.get(), request, context, onChunk, this::direct)
                : direct(request, context, onChunk);
    }

    /** The routing aliases in effect, each with the model it points at. */
    public Map<String, String> aliases() {
        return aliases.targets();
    }

    /** Points an alias at another model from now on in this process (steward.yaml is the caller's to rewrite). */
    public void pointAlias(String alias, String model) {
        aliases.point(alias, model);
    }

    private RoutedResponse direct(ChatRequest request, CallContext context, Consumer<ChatChunk> onChunk) {
        Plan plan = plan(request, context);
        if (cache != null && cache.eligible(request)) {
            Optional<AnswerCache.Hit> hit = cache.lookup(request, plan.cacheKey(), context.userId());
            if (hit.isPresent()) {
                return replay(hit.get(), context, onChunk);
            }
        }
        long promptTokens = promptTokens(request);
        List<String> path = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        Route tooSmall = null;
        for (int i = 0; i < plan.routes().size(); i++) {
            Route route = plan.routes().get(i);
            if (route.contextLength() > 0 && promptTokens > route.contextLength()) {
                path.add(route.id() + ": prompt too long");
                tooSmall = tooSmall == null || route.contextLength() > tooSmall.contextLength() ? route : tooSmall;
                continue;
            }
            if (route.locality() == Locality.OFFLINE && !path.isEmpty() && !offlineModel.canAnswer(request)) {
                path.add(route.id() + ": needs a language model");
                continue;
            }
            CircuitBreaker breaker = route.locality() == Locality.OFFLINE ? null : breakers.circuitBreaker(route.provider());
            if (breaker != null && !breaker.tryAcquirePermission()) {
                path.add(route.id() + ": circuit open after repeated failures");
                continue;
            }
            Budgets.Reservation reservation = null;
            if (budgets != null && route.priced()) {
                Budgets.Admission admission = budgets.reserve(context.userId(), estimateCost(route, request, promptTokens));
                if (admission instanceof Budgets.Denied denied) {
                    breaker.releasePermission();
                    if (budgets.onExceeded() == BudgetConfig.OnExceeded.REFUSE) {
                        throw new RoutingException.OverBudget(denied.denial());
                    }
                    notices.add(denied.denial().describe() + "; falling back to a cheaper model");
                    path.add(route.id() + ": over budget");
                    continue;
                }
                reservation = ((Budgets.Admitted) admission).reservation();
            }
            boolean mayEscalate = config.escalateLowConfidence() && route.locality() == Locality.LOCAL
                    && plan.routes().stream().skip(i + 1).anyMatch(r -> r.locality() == Locality.CLOUD);
            ChunkGuard guard = new ChunkGuard(onChunk, mayEscalate);
            long started = System.nanoTime();
            TraceSpan span = Tracing.modelCall(route.provider(), route.chatModel().name(), context.userId());
            try {
                ChatResponse response = retry.call(route, guard, () -> route.chatModel().stream(request, guard));
                long latency = millisSince(started);
                if (breaker != null) {
                    breaker.onSuccess(latency, TimeUnit.MILLISECONDS);
                }
                long cost = route.costMicros(response.usage());
                span.usage(response.model() != null ? response.model() : route.chatModel().name(),
                        response.usage().inputTokens(), response.usage().outputTokens(), cost);
                if (reservation != null) {
                    budgets.settle(reservation, cost).forEach(alert -> notices.add("budget alert: " + alert.describe()));
                }
                if (mayEscalate && unsure(response)) {
                    record(route, context, plan.reason(), path, response.usage(), cost, latency, guard.ttft(started),
                            false, "low_confidence", null);
                    path.add(route.id() + ": low-confidence answer, escalated");
                    continue;
                }
                guard.release();
                String fallbackPath = path.isEmpty() ? null : String.join(" → ", path) + " → " + route.id();
                record(route, context, plan.reason(), path, response.usage(), cost, latency, guard.ttft(started),
                        false, "ok", null);
                if (cache != null && cache.eligible(request)) {
                    cache.store(request, plan.cacheKey(), context.userId(), response, route.id());
                }
                return new RoutedResponse(response, route.provider(), route.chatModel().name(), plan.reason(), cost, latency,
                        route.locality(), false, fallbackPath, notices, guard.ttft(started));
            } catch (RuntimeException e) {
                // A bug in a provider is still a failed call: recorded, and handed on as the failure callers expect.
                ModelException failure = e instanceof ModelException m ? m
                        : new ModelException(route.id() + " failed: " + e, false, e);
                long latency = millisSince(started);
                span.fail(failure.kind().name().toLowerCase(Locale.ROOT), failure.getMessage());
                if (reservation != null) {
                    budgets.release(reservation);
                }
                if (Thread.currentThread().isInterrupted()) {
                    // Cancelled by the caller: says nothing about the provider's health, and is not retried elsewhere.
                    if (breaker != null) {
                        breaker.releasePermission();
                    }
                    record(route, context, plan.reason(), path, Usage.NONE, 0, latency, null, false, "cancelled",
                            failure.getMessage());
                    throw failure;
                }
                if (breaker != null) {
                    breaker.onError(latency, TimeUnit.MILLISECONDS, failure);
                }
                record(route, context, plan.reason(), path, Usage.NONE, 0, latency, null, false, "error",
                        failure.getMessage());
                path.add(route.id() + ": " + failure.getMessage());
                if (guard.emitted()) {
                    throw new RoutingException.NoModelAvailable(String.join(" → ", path)
                            + " (the answer broke off after it had begun, so it was not retried elsewhere)");
                }
            } finally {
                span.close();
            }
        }
        if (tooSmall != null && path.stream().allMatch(p -> p.endsWith("prompt too long") || p.startsWith(offline.id()))) {
            throw new RoutingException.PromptTooLarge(promptTokens, tooSmall.contextLength(), tooSmall.id());
        }
        throw new RoutingException.NoModelAvailable(path.isEmpty() ? "no model is configured" : String.join(" → ", path));
    }

    /** The ordered routes for a request, with the reason for the order. */
    record Plan(List<Route> routes, String reason, String cacheKey) {}

    Plan plan(ChatRequest request, CallContext context) {
        String named = request.model() == null ? "" : request.model().strip();
        RoutingMode mode = config.mode();
        if (!named.isEmpty()) {
            RoutingMode alias = ALIASES.get(named.toLowerCase(Locale.ROOT));
            if (alias != null) {
                mode = alias;
            } else if (named.equalsIgnoreCase(OfflineModel.NAME) || named.equalsIgnoreCase(offline.id())) {
                return new Plan(List.of(offline), "requested " + offline.id(), offline.id());
            } else {
                Route route = find(named).orElseThrow(() -> new RoutingException.UnknownModel(named, modelNames()));
                return new Plan(List.of(route), "requested " + route.id(), route.id());
            }
        }
        ComplexityEstimator.Estimate estimate = estimator.estimate(request, context);
        boolean complex = estimate.score() >= config.hybridThreshold();
        List<Route> local = ordered(Locality.LOCAL, complex);
        List<Route> cloud = ordered(Locality.CLOUD, complex);
        List<Route> chosen = new ArrayList<>();
        String reason;
        switch (mode) {
            case OFFLINE -> reason = "routing.mode is offline";
            case LOCAL -> {
                chosen.addAll(local);
                reason = local.isEmpty() ? "local mode, but no local model is configured" : "local mode";
            }
            case CLOUD -> {
                chosen.addAll(cloud);
                chosen.addAll(local);
                reason = cloud.isEmpty() ? "cloud mode, but no cloud model is configured" : "cloud mode";
            }
            case AUTO -> {
                chosen.addAll(cloud);
                chosen.addAll(local);
                reason = !cloud.isEmpty() ? "auto: a cloud model is configured"
                        : !local.isEmpty() ? "auto: local models only" : "no model provider configured";
            }
            case HYBRID -> {
                chosen.addAll(complex ? cloud : local);
                chosen.addAll(complex ? local : cloud);
                reason = String.format(Locale.ROOT, "hybrid: complexity %.2f (%s) %s %.2f → %s first", estimate.score(),
                        estimate.reason(), complex ? "≥" : "<", config.hybridThreshold(), complex ? "cloud" : "local");
            }
            default -> throw new IllegalStateException("unhandled mode " + mode);
        }
        chosen.add(offline);
        return new Plan(chosen, reason, "steward/" + mode.id());
    }

    /** Models of one locality, the smart ones first for complex work and the fast, cheap ones first otherwise. */
    private List<Route> ordered(Locality locality, boolean complex) {
        String key = locality.id() + (complex ? "/complex" : "/simple");
        List<Route> known = orderedRoutes.get(key);
        if (known == null) {
            known = sorted(locality, complex);
            Map<String, List<Route>> more = new java.util.HashMap<>(orderedRoutes);
            more.put(key, known);
            orderedRoutes = Map.copyOf(more);
        }
        return known;
    }

    private List<Route> sorted(Locality locality, boolean complex) {
        Comparator<Route> bySmart = Comparator.comparing(Route::smart);
        Comparator<Route> byPrice = Comparator.comparingDouble(r -> r.inputPrice() + r.outputPrice());
        Comparator<Route> order = complex ? bySmart.reversed().thenComparing(byPrice.reversed())
                : bySmart.thenComparing(byPrice);
        return routes().stream().filter(r -> r.locality() == locality).sorted(order).toList();
    }

    private Optional<Route> find(String named) {
        return routes().stream().filter(r -> r.id().equalsIgnoreCase(named)).findFirst()
                .or(() -> routes().stream().filter(r -> r.model().equalsIgnoreCase(named)).findFirst());
    }

    /** Whether a call may name this: a route name, a routing alias, a configured model (with or without provider). */
    public boolean knows(String named) {
        String name = named == null ? "" : named.strip();
        return !name.isEmpty() && (ALIASES.containsKey(name.toLowerCase(Locale.ROOT)) || aliases.aliasOf(name).isPresent()
                || name.equalsIgnoreCase(OfflineModel.NAME) || name.equalsIgnoreCase(offline.id())
                || find(name).isPresent());
    }

    /** Every name a client may ask for: the route aliases, the configured routing aliases, then each model. */
    public List<String> modelNames() {
        List<String> names = new ArrayList<>(ALIASES.keySet().stream().sorted().toList());
        names.addAll(aliases.targets().keySet().stream().sorted().toList());
        routes().forEach(r -> names.add(r.id()));
        names.add(offline.id());
        return names;
    }

    private RoutedResponse replay(AnswerCache.Hit hit, CallContext context, Consumer<ChatChunk> onChunk) {
        ChatResponse response = hit.response();
        if (!response.text().isEmpty()) {
            onChunk.accept(ChatChunk.text(response.text()));
        }
        String[] parts = hit.route().split("/", 2);
        String provider = parts[0];
        String model = parts.length > 1 ? parts[1] : parts[0];
        Locality locality = routes().stream().filter(r -> r.id().equals(hit.route())).map(Route::locality)
                .findFirst().orElse(Locality.OFFLINE);
        log.record(new ModelCall(Ids.ordered(), context.taskId(), context.userId(), provider, model, locality,
                "cache hit", null, 0, 0, 0, 0, null, true, "ok", null, clock.millis()));
        return new RoutedResponse(response, provider, model, "cache hit", 0, 0, locality, true, null, List.of(), 0L);
    }

    private void record(Route route, CallContext context, String reason, List<String> path, Usage usage, long cost,
                        long latency, Long ttft, boolean cacheHit, String outcome, String error) {
        log.record(new ModelCall(Ids.ordered(), context.taskId(), context.userId(), route.provider(),
                route.chatModel().name(), route.locality(), reason, path.isEmpty() ? null : String.join(" → ", path), usage.inputTokens(),
                usage.outputTokens(), cost, latency, ttft, cacheHit, outcome, error, clock.millis()));
    }

    /** The most a call may cost: the prompt (with a margin for tokenizer differences) plus the longest answer allowed. */
    static long estimateCost(Route route, ChatRequest request, long promptTokens) {
        int output = request.maxTokens() != null ? request.maxTokens() : DEFAULT_OUTPUT_RESERVE;
        return route.costMicros(new Usage(promptTokens + promptTokens / 4, output));
    }

    static long promptTokens(ChatRequest request) {
        long tokens = 0;
        for (ChatMessage message : request.messages()) {
            tokens += Usage.estimateTokens(message.content()) + 4;
        }
        return tokens;
    }

    private static boolean unsure(ChatResponse response) {
        return !response.wantsTools() && (response.text().isBlank()
                || UNSURE.matcher(response.text().toLowerCase(Locale.ROOT)).find());
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Waits until every call made so far is recorded, then lets go of background writers. */
    @Override
    public void close() {
        aliases.close();
        if (cache != null) {
            cache.close();
        }
        log.close();
    }
}
