package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steward.actions.ActionGate;
import dev.steward.agent.AskRequest;
import dev.steward.agent.TaskListener;
import dev.steward.config.ConfigLoader;
import dev.steward.config.StewardConfig;
import dev.steward.router.ModelCatalog;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.router.fake.RecordedRequest;
import dev.steward.support.Json;
import dev.steward.telemetry.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace follows a request through Steward: the caller's {@code traceparent} is continued by the server span, the
 * model call is its child with the GenAI attributes, and the provider (a fake OpenAI server on loopback) receives a
 * {@code traceparent} of the same trace; tasks, their steps and tool calls are spans of that kind too.
 */
class GatewayTracingTest {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN = "00f067aa0ba902b7";

    @TempDir
    static Path home;
    static FakeOpenAiServer provider;
    static Gateway gateway;
    static final InMemorySpanExporter spans = InMemorySpanExporter.create();
    static OpenTelemetrySdk sdk;

    @BeforeAll
    static void start() throws Exception {
        provider = FakeOpenAiServer.start();
        java.nio.file.Files.writeString(home.resolve("steward.yaml"), """
                providers:
                  - name: openai
                    kind: openai
                    base_url: %s
                    api_key: sk-test
                    models:
                      - name: gpt-4o-mini
                        tier: cloud
                        input_price_per_million: 0.15
                        output_price_per_million: 0.6
                """.formatted(provider.baseUrl()));
        provider.models("gpt-4o-mini").defaultReply(FakeReply.text("Bonjour!").usage(21, 8));
        StewardConfig config = new ConfigLoader(Map.of("STEWARD_HOME", home.toString())).load();
        gateway = Gateway.over(home, new ModelCatalog(config.providers(), config.routing(), false));
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        Tracing.use(sdk);
    }

    @AfterAll
    static void stop() {
        Tracing.stop();
        sdk.close();
        gateway.close();
        provider.close();
    }

    @BeforeEach
    void forgetEarlierSpans() {
        spans.reset();
    }

    @Test
    void aGatewayRequestContinuesTheCallersTraceToTheProvider() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(gateway.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + gateway.key)
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("model", "openai/gpt-4o-mini",
                        "messages", List.of(Map.of("role", "user", "content", "Say hello in French"))))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        SpanData server = awaitSpan("POST /v1/chat/completions");
        SpanData model = awaitSpan("chat gpt-4o-mini");
        assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(server.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(server.getParentSpanId()).as("the caller's span").isEqualTo(CALLER_SPAN);
        assertThat(string(server, "http.route")).isEqualTo("/v1/chat/completions");
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(string(server, "steward.user")).isEqualTo(gateway.alice.id());

        assertThat(model.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(model.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(model.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(string(model, "gen_ai.operation.name")).isEqualTo("chat");
        assertThat(string(model, "gen_ai.provider.name")).isEqualTo("openai");
        assertThat(string(model, "gen_ai.request.model")).isEqualTo("gpt-4o-mini");
        assertThat(string(model, "gen_ai.response.model")).isNotBlank();
        assertThat(model.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(21L);
        assertThat(model.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(8L);
        assertThat(model.getAttributes().get(AttributeKey.doubleKey("steward.cost"))).isNotNull();
        assertThat(string(model, "steward.user")).isEqualTo(gateway.alice.id());

        RecordedRequest sent = provider.lastRequest();
        assertThat(sent.header("traceparent")).as("the provider continues the model call's span")
                .isEqualTo("00-" + TRACE_ID + "-" + model.getSpanId() + "-01");
    }

    @Test
    void aFailedModelCallIsAnErrorSpanNamingWhatWentWrong() throws Exception {
        provider.enqueue(FakeOpenAiServer.error(400, "invalid_request_error", null, "bad prompt"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(gateway.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + gateway.key)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("model", "openai/gpt-4o-mini",
                        "messages", List.of(Map.of("role", "user", "content", "hi"))))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isGreaterThanOrEqualTo(400);

        SpanData model = awaitSpan("chat gpt-4o-mini");
        assertThat(model.getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
        assertThat(model.getStatus().getDescription()).contains("bad prompt");
        assertThat(string(model, "error.type")).isEqualTo("bad_request");
        SpanData server = awaitSpan("POST /v1/chat/completions");
        assertThat(server.getTraceId()).as("no caller trace: a new one").isEqualTo(model.getTraceId());
    }

    @Test
    void aTaskIsOneTraceOfItsStepsModelCallsAndToolCalls() {
        provider.enqueue(FakeReply.toolCall("call_1", "files.list", "{}"), FakeReply.text("The workspace is empty."));
        var task = gateway.services.runner().run(AskRequest.of(gateway.alice.id(), "what is in my workspace?"),
                TaskListener.NONE);
        assertThat(task.answer()).isEqualTo("The workspace is empty.");

        SpanData root = awaitSpan("invoke_agent steward");
        assertThat(string(root, "gen_ai.operation.name")).isEqualTo("invoke_agent");
        assertThat(string(root, "steward.task.id")).isEqualTo(task.id());
        assertThat(string(root, "steward.user")).isEqualTo(gateway.alice.id());
        assertThat(string(root, "steward.outcome")).isEqualTo("done");
        List<SpanData> all = spans.getFinishedSpanItems();
        assertThat(all).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(root.getTraceId()));
        assertThat(all).extracting(SpanData::getName).contains("step turn", "step tool", "chat gpt-4o-mini",
                "execute_tool files.list");
        SpanData tool = awaitSpan("execute_tool files.list");
        assertThat(string(tool, "gen_ai.tool.name")).isEqualTo("files.list");
        assertThat(string(tool, "gen_ai.operation.name")).isEqualTo("execute_tool");
        assertThat(string(tool, "steward.outcome")).isEqualTo(ActionGate.Status.OK.id());
        SpanData toolStep = all.stream().filter(s -> s.getSpanId().equals(tool.getParentSpanId())).findFirst().orElseThrow();
        assertThat(toolStep.getName()).isEqualTo("step tool");
        assertThat(toolStep.getParentSpanId()).isEqualTo(root.getSpanId());
    }

    @Test
    void offTracingLeavesNoTraceAndSendsNoTraceparent() throws Exception {
        Tracing.stop();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(gateway.url("/v1/chat/completions")))
                    .header("Authorization", "Bearer " + gateway.key)
                    .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("model", "openai/gpt-4o-mini",
                            "messages", List.of(Map.of("role", "user", "content", "hi again"))))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(provider.lastRequest().header("traceparent")).isNull();
            assertThat(spans.getFinishedSpanItems()).isEmpty();
        } finally {
            Tracing.use(sdk);
        }
    }

    private static SpanData awaitSpan(String name) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name)).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    private static String string(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

}
