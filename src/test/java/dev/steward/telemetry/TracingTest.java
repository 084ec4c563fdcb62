package dev.steward.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.steward.config.ConfigException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Tracing as the standard OTEL_* variables set it up: off by default, OTLP to a collector, OTLP JSON in the log. */
class TracingTest {
    @AfterEach
    void off() {
        Tracing.stop();
    }

    @Test
    void withoutAnExporterTracingIsOffAndEverySpanIsTheSameNoOp() {
        assertThat(Tracing.start(Map.of())).isNull();
        assertThat(Tracing.start(Map.of("OTEL_TRACES_EXPORTER", "none"))).isNull();
        assertThat(Tracing.start(Map.of("OTEL_SDK_DISABLED", "true", "OTEL_TRACES_EXPORTER", "otlp"))).isNull();
        assertThat(Tracing.on()).isFalse();
        try (TraceSpan span = Tracing.modelCall("openai", "gpt-4o-mini", "alice")) {
            assertThat(span).isSameAs(TraceSpan.OFF);
            assertThat(Span.current().getSpanContext().isValid()).isFalse();
        }
        assertThat(Tracing.headers()).isEmpty();
        Runnable work = () -> {};
        assertThat(Tracing.carry(work)).isSameAs(work);
    }

    @Test
    void anOtlpEndpointAloneTurnsTracingOn() {
        assertThat(Tracing.wanted(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))).isTrue();
        assertThat(Tracing.wanted(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces")))
                .isTrue();
    }

    @Test
    void otlpSendsTheSpansWithTheirGenAiAttributesToTheCollector() throws Exception {
        List<byte[]> bodies = new CopyOnWriteArrayList<>();
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            bodies.add(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        String traceId;
        try {
            OpenTelemetrySdk sdk = Tracing.start(Map.of("OTEL_TRACES_EXPORTER", "otlp",
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                    "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort()));
            assertThat(sdk).isNotNull();
            try (TraceSpan span = Tracing.modelCall("openai", "gpt-4o-mini", "alice")) {
                span.usage("gpt-4o-mini-2024-07-18", 21, 8, 1234);
                traceId = Span.current().getSpanContext().getTraceId();
                assertThat(Tracing.headers().get("traceparent")).startsWith("00-" + traceId + "-");
            }
            sdk.close(); // flushes the batch
        } finally {
            collector.stop(0);
        }
        assertThat(paths).containsExactly("/v1/traces application/x-protobuf");
        String body = new String(bodies.get(0), StandardCharsets.ISO_8859_1);
        assertThat(body).as("OTLP carries the trace id as raw bytes")
                .contains(new String(HexFormat.of().parseHex(traceId), StandardCharsets.ISO_8859_1));
        assertThat(body).contains("chat gpt-4o-mini", "gen_ai.operation.name", "gen_ai.provider.name",
                "gen_ai.request.model", "gen_ai.response.model", "gpt-4o-mini-2024-07-18",
                "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "steward.user", "steward.cost",
                "service.name", "steward");
    }

    @Test
    void loggingOtlpWritesEachSpanAsOtlpJsonToTheLog() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger otlpLogs = Logger.getLogger("io.opentelemetry.exporter.logging.otlp");
        otlpLogs.addHandler(capture);
        try {
            OpenTelemetrySdk sdk = Tracing.start(Map.of("OTEL_TRACES_EXPORTER", "logging-otlp"));
            String traceId;
            try (TraceSpan span = Tracing.toolCall("files.read", "alice")) {
                span.outcome("ok");
                traceId = Span.current().getSpanContext().getTraceId();
            }
            sdk.close();
            assertThat(logged).anySatisfy(line -> assertThat(line).contains("\"scopeSpans\"", traceId,
                    "execute_tool files.read", "gen_ai.tool.name", "steward.outcome"));
        } finally {
            otlpLogs.removeHandler(capture);
        }
    }

    @Test
    void aWrongVariableIsAConfigurationErrorThatNamesIt() {
        assertThatThrownBy(() -> Tracing.start(Map.of("OTEL_TRACES_EXPORTER", "zipkinn")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("zipkinn").hasMessageContaining("OTEL_");
        assertThat(Tracing.on()).isFalse();
    }
}
