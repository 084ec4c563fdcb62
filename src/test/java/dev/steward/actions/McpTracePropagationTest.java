package dev.steward.actions;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.steward.config.McpServerConfig;
import dev.steward.telemetry.TraceSpan;
import dev.steward.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An MCP server over HTTP receives the caller's trace: the client sends from threads of its own, so the trace
 * headers are taken on the calling thread and travel in the MCP transport context.
 */
class McpTracePropagationTest {
    @Test
    void theMcpServerReceivesATraceparentOfTheCallersTrace() throws Exception {
        List<String> traceparents = new CopyOnWriteArrayList<>();
        HttpServer mcp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        mcp.createContext("/mcp", exchange -> {
            traceparents.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(503, -1); // no MCP here: the first request is all this test needs
            exchange.close();
        });
        mcp.start();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        Tracing.use(sdk);
        McpToolSource source = new McpToolSource(new McpServerConfig("remote", null, null, null,
                "http://127.0.0.1:" + mcp.getAddress().getPort() + "/mcp", null, 5), "test", Clock.systemUTC());
        String traceId;
        String spanId;
        try (TraceSpan span = Tracing.toolCall("remote.search", "alice")) {
            traceId = Span.current().getSpanContext().getTraceId();
            spanId = Span.current().getSpanContext().getSpanId();
            assertThat(source.tools()).isEmpty();
        } finally {
            Tracing.stop();
            sdk.close();
            source.close();
            mcp.stop(0);
        }
        assertThat(source.unavailable()).isNotNull();
        assertThat(traceparents).isNotEmpty()
                .allSatisfy(header -> assertThat(header).startsWith("00-" + traceId + "-" + spanId + "-"));
    }
}
