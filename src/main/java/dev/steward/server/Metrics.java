package dev.steward.server;

import dev.steward.agent.TaskStatus;
import dev.steward.identity.Accounts;
import dev.steward.router.AnswerCache;
import dev.steward.router.Budgets;
import dev.steward.router.OfflineModel;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /metrics} in Prometheus' text format (the names are listed in docs/observability.md): HTTP requests timed here (by method, route template and status), the
 * JVM through Micrometer's binders, and everything else read at scrape time from the rows Steward writes anyway —
 * model calls, tool calls in the audit log, approvals, tasks, budgets — so no part needs a counter of its own and the
 * numbers include what other processes (the CLI) did. Every series a dashboard or alert expects is there from
 * start-up: the model and tool counters hold a zero for each configured model (the offline model included) and
 * built-in tool with each outcome, before anything was called.
 */
final class Metrics {
    static final String STARTED = "steward.started";
    /** Upper bounds of the model-call latency buckets, in seconds. */
    static final double[] LATENCY_BOUNDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, Double.POSITIVE_INFINITY};
    /** How a model call ends in model_calls; each known model has a series for each from the start. */
    static final List<String> MODEL_OUTCOMES = List.of("ok", "error", "cancelled", "low_confidence");
    /** How a tool call through the gate ends in the audit log (kind tool_call). */
    static final List<String> TOOL_OUTCOMES = List.of("ok", "failed", "invalid", "rate_limited");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RouteTable routes;
    private final java.util.concurrent.ConcurrentMap<TimerKey, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    Metrics(Services services, RouteTable routes) {
        this.routes = routes;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        registry.getPrometheusRegistry().register(new Rows(services));
        registry.getPrometheusRegistry().register(new OperatorGauges(services));
    }

    /** Times one request; the route is its template, so that ids do not make a series each. */
    void recordRequest(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        String template = ctx.attribute(RouteTable.TEMPLATE);
        String route = template != null ? template : routes.template(ctx.path()).orElse("unmatched");
        int status = ctx.statusCode();
        timers.computeIfAbsent(new TimerKey(ctx.method().name(), route, status), this::timer)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** One series of {@code http.server.requests}. */
    private record TimerKey(String method, String route, int status) {}

    /** Builds a series once: building and registering one per request was a tag sort and a map lookup in Micrometer. */
    private Timer timer(TimerKey key) {
        int status = key.status();
        return Timer.builder("http.server.requests")
                .description("HTTP requests by method, route template and status")
                .tags("method", key.method(), "route", key.route(), "status", Integer.toString(status),
                        "outcome", status >= 500 ? "server_error" : status >= 400 ? "client_error" : "success")
                .publishPercentileHistogram()
                .register(registry);
    }

    void scrape(Context ctx) {
        Access.admin(ctx);
        ctx.status(200).contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }

    /** The metrics read from the database at each scrape. */
    private record Rows(Services services) implements MultiCollector {
        @Override
        public MetricSnapshots collect() {
            services.database().flushBackgroundWrites();
            MetricSnapshots.Builder out = MetricSnapshots.builder();
            modelCalls(out);
            toolCalls(out);
            tasks(out);
            approvals(out);
            budgets(out);
            rollouts(out);
            answerCaches(out);
            return out.build();
        }

        private void modelCalls(MetricSnapshots.Builder out) {
            StringBuilder buckets = new StringBuilder();
            for (int i = 0; i < LATENCY_BOUNDS.length - 1; i++) {
                buckets.append(", SUM(CASE WHEN latency_ms <= ").append(Math.round(LATENCY_BOUNDS[i] * 1000))
                        .append(" THEN 1 ELSE 0 END) AS le").append(i);
            }
            record Row(Labels labels, long calls, long tokensIn, long tokensOut, long cost, long latencyMs,
                       long cacheHits, long fallbacks, long[] cumulative) {}
            List<Row> rows = services.database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT provider, model, outcome, COUNT(*) AS calls, SUM(tokens_in) AS tin,"
                                    + " SUM(tokens_out) AS tout, SUM(cost_micros) AS cost, SUM(latency_ms) AS latency,"
                                    + " SUM(cache_hit) AS hits, SUM(CASE WHEN fallback_path IS NULL THEN 0 ELSE 1 END)"
                                    + " AS fallbacks" + buckets + " FROM model_calls GROUP BY provider, model, outcome")
                    .map((rs, c) -> {
                        long[] cumulative = new long[LATENCY_BOUNDS.length];
                        for (int i = 0; i < cumulative.length - 1; i++) {
                            cumulative[i] = rs.getLong("le" + i);
                        }
                        cumulative[cumulative.length - 1] = rs.getLong("calls");
                        return new Row(Labels.of("provider", rs.getString("provider"), "model", rs.getString("model"),
                                "outcome", rs.getString("outcome")), rs.getLong("calls"), rs.getLong("tin"),
                                rs.getLong("tout"), rs.getLong("cost"), rs.getLong("latency"), rs.getLong("hits"),
                                rs.getLong("fallbacks"), cumulative);
                    }).list());
            rows = new java.util.ArrayList<>(rows);
            java.util.Set<Labels> seen = new java.util.HashSet<>(rows.stream().map(Row::labels).toList());
            for (Labels model : knownModels()) {
                for (String outcome : MODEL_OUTCOMES) {
                    Labels labels = model.add("outcome", outcome);
                    if (seen.add(labels)) {
                        rows.add(new Row(labels, 0, 0, 0, 0, 0, 0, 0, new long[LATENCY_BOUNDS.length]));
                    }
                }
            }
            out.metricSnapshot(counter("steward_model_calls", "Model calls by provider, model and outcome",
                    rows.stream().map(r -> point(r.labels(), r.calls())).toList()));
            out.metricSnapshot(counter("steward_model_tokens", "Tokens of model calls; direction is in or out",
                    rows.stream().flatMap(r -> java.util.stream.Stream.of(
                            point(r.labels().add("direction", "in"), r.tokensIn()),
                            point(r.labels().add("direction", "out"), r.tokensOut()))).toList()));
            out.metricSnapshot(counter("steward_model_cost_dollars", "What model calls cost, in US dollars",
                    rows.stream().map(r -> point(r.labels(), r.cost() / 1_000_000.0)).toList()));
            out.metricSnapshot(counter("steward_model_cache_hits", "Model calls answered from the response cache",
                    rows.stream().map(r -> point(r.labels(), r.cacheHits())).toList()));
            out.metricSnapshot(counter("steward_model_fallbacks", "Model calls answered after another model failed",
                    rows.stream().map(r -> point(r.labels(), r.fallbacks())).toList()));
            HistogramSnapshot.Builder latency = HistogramSnapshot.builder().name("steward_model_call_latency_seconds")
                    .help("Latency of model calls by provider, model and outcome");
            for (Row r : rows) {
                long[] counts = new long[LATENCY_BOUNDS.length];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = r.cumulative()[i] - (i == 0 ? 0 : r.cumulative()[i - 1]);
                }
                latency.dataPoint(HistogramDataPointSnapshot.builder().labels(r.labels())
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(LATENCY_BOUNDS.clone(), counts))
                        .sum(r.latencyMs() / 1000.0).build());
            }
            out.metricSnapshot(latency.build());
        }

        /** Each configured model and the offline model, labelled as model_calls names them. */
        private List<Labels> knownModels() {
            List<Labels> known = new java.util.ArrayList<>();
            services.router().routes().forEach(r -> known.add(Labels.of("provider", r.provider(), "model",
                    r.chatModel().name())));
            known.add(Labels.of("provider", OfflineModel.NAME, "model", OfflineModel.NAME));
            return known;
        }

        private void toolCalls(MetricSnapshots.Builder out) {
            Map<Labels, Long> calls = new LinkedHashMap<>();
            services.gate().tools().local().forEach(tool -> TOOL_OUTCOMES.forEach(outcome ->
                    calls.put(Labels.of("tool", tool.spec().name(), "outcome", outcome), 0L)));
            services.database().jdbi().useHandle(h -> h.createQuery("SELECT tool, outcome, COUNT(*) AS n"
                            + " FROM audit_log WHERE kind = 'tool_call' GROUP BY tool, outcome")
                    .map((rs, c) -> calls.put(Labels.of("tool", rs.getString("tool"), "outcome",
                            rs.getString("outcome")), rs.getLong("n"))).list());
            out.metricSnapshot(counter("steward_tool_calls", "Tool calls through the gate by tool and outcome",
                    calls.entrySet().stream().map(e -> point(e.getKey(), e.getValue())).toList()));
        }

        private void tasks(MetricSnapshots.Builder out) {
            Map<String, Long> byState = new LinkedHashMap<>();
            Arrays.stream(TaskStatus.values()).forEach(s -> byState.put(s.id(), 0L));
            services.database().jdbi().useHandle(h -> h.createQuery(
                            "SELECT status, COUNT(*) AS n FROM tasks GROUP BY status")
                    .map((rs, c) -> byState.put(rs.getString("status"), rs.getLong("n"))).list());
            GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name("steward_tasks").help("Tasks by state");
            byState.forEach((state, n) -> gauge.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(Labels.of("state", state)).value(n).build()));
            out.metricSnapshot(gauge.build());
        }

        private void approvals(MetricSnapshots.Builder out) {
            long pending = services.database().jdbi().withHandle(h -> h.createQuery(
                            "SELECT COUNT(*) FROM approvals WHERE status = 'pending' AND expires_at > :now")
                    .bind("now", services.clock().millis()).mapTo(Long.class).one());
            out.metricSnapshot(GaugeSnapshot.builder().name("steward_approvals_pending")
                    .help("Tool calls waiting for a decision")
                    .dataPoint(GaugeDataPointSnapshot.builder().value(pending).build()).build());
        }

        /** The global budget windows: what is spent of each limit. */
        private void budgets(MetricSnapshots.Builder out) {
            List<Budgets.Status> global = services.router().budgets().map(b -> b.status(Accounts.LOCAL_USER))
                    .orElse(List.of()).stream().filter(s -> s.scope().equals("global")).toList();
            GaugeSnapshot.Builder used = GaugeSnapshot.builder().name("steward_budget_used_dollars")
                    .help("Spend in the current window of each global budget");
            GaugeSnapshot.Builder limit = GaugeSnapshot.builder().name("steward_budget_limit_dollars")
                    .help("The limit of each global budget");
            for (Budgets.Status s : global) {
                Labels labels = Labels.of("period", s.period());
                used.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(s.spentMicros() / 1e6).build());
                limit.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(s.limitMicros() / 1e6).build());
            }
            out.metricSnapshot(used.build());
            out.metricSnapshot(limit.build());
        }

        /** Each rollout's arms: calls by outcome (shadow copies apart), their cost and their latency. */
        private void rollouts(MetricSnapshots.Builder out) {
            record Arm(Labels labels, long calls, long cost, long latency) {}
            List<Arm> arms = services.database().jdbi().withHandle(h -> h.createQuery("SELECT r.name, c.arm, c.shadow,"
                            + " c.ok, COUNT(*) AS calls, SUM(c.cost_micros) AS cost, SUM(c.latency_ms) AS latency"
                            + " FROM rollout_calls c JOIN rollouts r ON r.id = c.rollout_id"
                            + " GROUP BY r.name, c.arm, c.shadow, c.ok")
                    .map((rs, c) -> new Arm(Labels.of("rollout", rs.getString("name"), "arm", rs.getString("arm"),
                            "shadow", rs.getInt("shadow") == 1 ? "true" : "false",
                            "outcome", rs.getInt("ok") == 1 ? "ok" : "error"),
                            rs.getLong("calls"), rs.getLong("cost"), rs.getLong("latency"))).list());
            out.metricSnapshot(counter("steward_rollout_calls", "Calls to each arm of a rollout, by outcome",
                    arms.stream().map(a -> point(a.labels(), a.calls())).toList()));
            out.metricSnapshot(counter("steward_rollout_cost_dollars", "Cost of each arm's calls in a rollout",
                    arms.stream().map(a -> point(a.labels(), a.cost() / 1e6)).toList()));
            out.metricSnapshot(counter("steward_rollout_latency_seconds_sum", "Summed latency of each arm's calls",
                    arms.stream().map(a -> point(a.labels(), a.latency() / 1e3)).toList()));
        }

        /** Answer-cache lookups since start-up, a series for each cache and result even before the first lookup. */
        private void answerCaches(MetricSnapshots.Builder out) {
            Map<String, AnswerCache.Counts> counts = new LinkedHashMap<>();
            List.of("exact", "semantic").forEach(c -> counts.put(c, new AnswerCache.Counts(c, 0, 0)));
            services.router().cacheCounts().forEach(c -> counts.put(c.cache(), c));
            out.metricSnapshot(counter("steward_answer_cache_lookups", "Answer-cache lookups by cache and result",
                    counts.values().stream().flatMap(c -> java.util.stream.Stream.of(
                            point(Labels.of("cache", c.cache(), "result", "hit"), c.hits()),
                            point(Labels.of("cache", c.cache(), "result", "miss"), c.misses()))).toList()));
        }

        private static CounterSnapshot counter(String name, String help, List<CounterDataPointSnapshot> points) {
            CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
            points.forEach(builder::dataPoint);
            return builder.build();
        }

        private static CounterDataPointSnapshot point(Labels labels, double value) {
            return CounterDataPointSnapshot.builder().labels(labels).value(value).build();
        }
    }
}
