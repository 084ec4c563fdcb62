package dev.steward.telemetry;

import dev.steward.config.ConfigException;
import dev.steward.support.Version;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.resources.Resource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Where every part opens its spans. One tracer serves the process: off until {@link #start} finds an exporter in the
 * {@code OTEL_*} variables (or a test {@link #use}s one). Off, no SDK is started and each call returns
 * {@link TraceSpan#OFF} after one volatile read, allocating nothing.
 *
 * <p>Attribute names follow the OpenTelemetry GenAI semantic conventions; {@code steward.user} and
 * {@code steward.cost} (US dollars) are Steward's own.
 */
public final class Tracing {
    static final String OPERATION = "gen_ai.operation.name";
    static final String PROVIDER = "gen_ai.provider.name";
    static final String REQUEST_MODEL = "gen_ai.request.model";
    static final String RESPONSE_MODEL = "gen_ai.response.model";
    static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    static final String TOOL_NAME = "gen_ai.tool.name";
    static final String AGENT_NAME = "gen_ai.agent.name";
    static final String CONVERSATION = "gen_ai.conversation.id";
    static final String ERROR_TYPE = "error.type";
    public static final String USER = "steward.user";
    static final String COST = "steward.cost";
    static final String OUTCOME = "steward.outcome";
    static final String TASK = "steward.task.id";
    static final String STEP = "steward.step";
    static final String PHASE = "steward.phase";

    /** The tracer and propagator in use, or null when tracing is off. */
    private record Live(OpenTelemetry otel, Tracer tracer, TextMapPropagator propagator) {}

    private static volatile Live live;

    private Tracing() {}

    /**
     * Starts tracing as the {@code OTEL_*} variables say — if they name an exporter ({@code OTEL_TRACES_EXPORTER}, or
     * an OTLP endpoint) and do not set {@code OTEL_SDK_DISABLED=true}; otherwise tracing stays off. Spans are flushed
     * when the process exits.
     *
     * @return the SDK, to close early (tests), or null when tracing stays off
     * @throws ConfigException when a variable is wrong, naming it
     */
    public static OpenTelemetrySdk start(Map<String, String> env) {
        if (!wanted(env)) {
            return null;
        }
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> defaults(env))
                    .addResourceCustomizer((resource, config) -> resource.merge(Resource.create(
                            io.opentelemetry.api.common.Attributes.of(
                                    AttributeKey.stringKey("service.version"), Version.current()))))
                    .build().getOpenTelemetrySdk();
        } catch (ConfigurationException e) {
            throw new ConfigException("environment", "OTEL_*", "tracing cannot start: " + e.getMessage(),
                    "correct or unset the OTEL_* variable it names (docs/observability.md lists them)");
        }
        use(sdk);
        return sdk;
    }

    /** True when the variables ask for traces: an exporter or an OTLP endpoint, and the SDK not disabled. */
    static boolean wanted(Map<String, String> env) {
        if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", "").strip())) {
            return false;
        }
        String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "").strip();
        if (!exporter.isEmpty()) {
            return !exporter.equalsIgnoreCase("none");
        }
        return !env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
                || !env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
    }

    /**
     * The variables as autoconfigure's properties, under Steward's defaults: the service is {@code steward}, and only
     * traces are exported (metrics are scraped from /metrics; logs go to stderr).
     */
    private static Map<String, String> defaults(Map<String, String> env) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("otel.service.name", "steward");
        properties.put("otel.metrics.exporter", "none");
        properties.put("otel.logs.exporter", "none");
        env.forEach((name, value) -> {
            if (name.startsWith("OTEL_")) {
                properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return properties;
    }

    /** Traces into this OpenTelemetry from now on (a test's in-memory SDK, or the one {@link #start} made). */
    public static void use(OpenTelemetry otel) {
        live = new Live(otel, otel.getTracer("dev.steward", Version.current()),
                otel.getPropagators().getTextMapPropagator());
    }

    /** Stops tracing: every span from now on is {@link TraceSpan#OFF}. */
    public static void stop() {
        live = null;
    }

    public static boolean on() {
        return live != null;
    }

    /** A task run, from its (re)start to its end or its wait: GenAI's {@code invoke_agent}. */
    public static TraceSpan task(String taskId, String user) {
        Live l = live;
        if (l == null) {
            return TraceSpan.OFF;
        }
        return TraceSpan.current(l.tracer.spanBuilder("invoke_agent steward").setSpanKind(SpanKind.INTERNAL)
                .setAttribute(OPERATION, "invoke_agent").setAttribute(AGENT_NAME, "steward")
                .setAttribute(CONVERSATION, taskId).setAttribute(TASK, taskId).setAttribute(USER, user).startSpan());
    }

    /** One turn of a task's loop: planning, a model turn, a tool call, a review, finishing. */
    public static TraceSpan step(String phase, int step) {
        Live l = live;
        if (l == null) {
            return TraceSpan.OFF;
        }
        return TraceSpan.current(l.tracer.spanBuilder("step " + phase).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(PHASE, phase).setAttribute(STEP, step).startSpan());
    }

    /** One call to one model (a fallback is a call of its own): GenAI's {@code chat}, a client span. */
    public static TraceSpan modelCall(String provider, String model, String user) {
        Live l = live;
        if (l == null) {
            return TraceSpan.OFF;
        }
        return TraceSpan.current(l.tracer.spanBuilder("chat " + model).setSpanKind(SpanKind.CLIENT)
                .setAttribute(OPERATION, "chat").setAttribute(PROVIDER, provider)
                .setAttribute(REQUEST_MODEL, model).setAttribute(USER, user).startSpan());
    }

    /** One tool call through the gate, whatever it decides: GenAI's {@code execute_tool}. */
    public static TraceSpan toolCall(String tool, String user) {
        Live l = live;
        if (l == null) {
            return TraceSpan.OFF;
        }
        return TraceSpan.current(l.tracer.spanBuilder("execute_tool " + tool).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(OPERATION, "execute_tool").setAttribute(TOOL_NAME, tool).setAttribute(USER, user)
                .startSpan());
    }

    /** A request this server received, continuing the caller's trace when its headers carry one. */
    static <C> TraceSpan server(String method, String path, C carrier, TextMapGetter<C> headers) {
        Live l = live;
        if (l == null) {
            return TraceSpan.OFF;
        }
        Context parent = l.propagator.extract(Context.root(), carrier, headers);
        SpanBuilder span = l.tracer.spanBuilder(method).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", method).setAttribute("url.path", path);
        return TraceSpan.current(span.startSpan());
    }

    /** Puts an attribute on the span current on this thread (say, who the request turned out to be from). */
    public static void annotate(String key, String value) {
        if (live != null && value != null) {
            Span.current().setAttribute(key, value);
        }
    }

    /** Writes the current trace's headers ({@code traceparent}, {@code tracestate}) into an outgoing request. */
    public static void inject(BiConsumer<String, String> header) {
        Live l = live;
        if (l != null) {
            l.propagator.inject(Context.current(), header, (target, key, value) -> target.accept(key, value));
        }
    }

    /** The current trace's headers, to hand to a client that sends on another thread. */
    public static Map<String, String> headers() {
        if (live == null) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        inject(headers::put);
        return headers;
    }

    /** The work, run later or elsewhere, inside the trace that is current now. */
    public static Runnable carry(Runnable work) {
        return live == null ? work : Context.current().wrap(work);
    }
}
