package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.router.ModelException.Kind;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.router.fake.RecordedRequest;
import dev.steward.support.Json;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiModelTest {
    static final OkHttpClient HTTP = Providers.httpClient(Duration.ofSeconds(2));
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);
    static final Duration IDLE = Duration.ofMillis(300);

    FakeOpenAiServer server;
    OpenAiModel model;

    /** Class loading and JIT warm-up take a second on a busy machine: keep them out of the timed tests. */
    @BeforeAll
    static void warmUp() {
        try (FakeOpenAiServer warm = FakeOpenAiServer.start()) {
            OpenAiModel warmModel = new OpenAiModel("warm", warm.baseUrl(), "k", "m", HTTP, Duration.ofSeconds(5));
            warmModel.chat(ask("hi"));
            warmModel.stream(ask("hi"), c -> {});
        }
    }

    @BeforeEach
    void start() {
        server = FakeOpenAiServer.start();
        model = new OpenAiModel("local", server.baseUrl(), "sk-test", "gpt-test", HTTP, REQUEST_TIMEOUT, IDLE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static ChatRequest ask(String text) {
        return ChatRequest.of(List.of(ChatMessage.system("Be brief."), ChatMessage.user(text)), null);
    }

    static ToolDefinition weatherTool() {
        return new ToolDefinition("weather", "Today's weather in a city",
                Json.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"));
    }

    // ---- answers

    @Test
    void plainAnswerWithUsage() {
        server.enqueue(FakeReply.text("Paris.").usage(21, 3));

        ChatResponse response = model.chat(ask("Capital of France?"));

        assertThat(response.text()).isEqualTo("Paris.");
        assertThat(response.usage()).isEqualTo(new Usage(21, 3));
        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.STOP);
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.model()).isEqualTo("gpt-test");
        assertThat(model.name()).isEqualTo("gpt-test");
        assertThat(model.provider()).isEqualTo("local");

        RecordedRequest request = server.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.header("Authorization")).isEqualTo("Bearer sk-test");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.body()).isEqualTo(Json.parse("""
                {"model":"gpt-test","messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"user","content":"Capital of France?"}]}"""));
    }

    @Test
    void noApiKeyMeansNoAuthorizationHeader() {
        OpenAiModel keyless = new OpenAiModel("vllm", server.baseUrl(), null, "qwen", HTTP, REQUEST_TIMEOUT, IDLE);
        keyless.chat(ask("hi"));
        assertThat(server.lastRequest().header("Authorization")).isNull();
    }

    @Test
    void lengthFinishReasonIsMapped() {
        server.enqueue(FakeReply.text("It was a dark and").finishReason("length"));
        assertThat(model.chat(ask("story")).finishReason()).isEqualTo(ChatResponse.FinishReason.LENGTH);
    }

    @Test
    void streamingDeliversChunksInOrderBeforeTheEnd() {
        CountDownLatch gate = new CountDownLatch(1);
        // The server holds after the role chunk and two text chunks until the test has seen "quic":
        // without real streaming the call would stall instead.
        server.enqueue(FakeReply.text("The quick brown fox").chunkSize(4).usage(30, 5).holdAfter(3, gate));
        List<String> seen = new CopyOnWriteArrayList<>();

        ChatResponse response = model.stream(ask("Say it"), chunk -> {
            seen.add(chunk.text());
            if (chunk.text().equals("quic")) {
                gate.countDown();
            }
        });

        assertThat(gate.getCount()).isZero();
        assertThat(seen).containsExactly("The ", "quic", "k br", "own ", "fox");
        assertThat(response.text()).isEqualTo("The quick brown fox");
        assertThat(response.usage()).isEqualTo(new Usage(30, 5));
        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.STOP);
        JsonNode body = server.lastRequest().body();
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options")).isEqualTo(Json.parse("{\"include_usage\":true}"));
        assertThat(server.lastRequest().header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void streamedToolCallFragmentsAssembleIntoToolCalls() {
        server.enqueue(FakeReply.text("Checking.")
                .andToolCall("call_1", "weather", "{\"city\":\"Paris\",\"days\":3}")
                .andToolCall("call_2", "weather", "{\"city\":\"Lyon\"}")
                .chunkSize(5));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();

        ChatResponse response = model.stream(ChatRequest.of(List.of(ChatMessage.user("weather?")),
                List.of(weatherTool())), chunks::add);

        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.TOOL_CALLS);
        assertThat(response.text()).isEqualTo("Checking.");
        assertThat(response.toolCalls()).containsExactly(
                new ToolCall("call_1", "weather", Json.parse("{\"city\":\"Paris\",\"days\":3}")),
                new ToolCall("call_2", "weather", Json.parse("{\"city\":\"Lyon\"}")));

        List<ChatChunk.ToolCallDelta> deltas = chunks.stream().flatMap(c -> c.toolCalls().stream()).toList();
        assertThat(deltas.get(0)).isEqualTo(new ChatChunk.ToolCallDelta(0, "call_1", "weather", ""));
        assertThat(deltas.stream().filter(d -> d.index() == 0).skip(1))
                .allSatisfy(d -> assertThat(d.id()).isNull())
                .allSatisfy(d -> assertThat(d.name()).isNull());
        assertThat(fragments(deltas, 0)).isEqualTo("{\"city\":\"Paris\",\"days\":3}");
        assertThat(fragments(deltas, 1)).isEqualTo("{\"city\":\"Lyon\"}");
        assertThat(deltas.stream().filter(d -> d.index() == 0).count()).isGreaterThan(3); // really in fragments
        assertThat(deltas.stream().filter(d -> d.id() != null).map(ChatChunk.ToolCallDelta::id))
                .containsExactly("call_1", "call_2");
    }

    private static String fragments(List<ChatChunk.ToolCallDelta> deltas, int index) {
        StringBuilder out = new StringBuilder();
        deltas.stream().filter(d -> d.index() == index).forEach(d -> out.append(d.argumentsFragment()));
        return out.toString();
    }

    @Test
    void wholeToolCallAnswerIsParsed() {
        server.enqueue(FakeReply.toolCall("call_9", "weather", "{\"city\":\"Oslo\"}").usage(50, 12));

        ChatResponse response = model.chat(ChatRequest.of(List.of(ChatMessage.user("weather?")), List.of(weatherTool())));

        assertThat(response.wantsTools()).isTrue();
        assertThat(response.text()).isEmpty();
        assertThat(response.toolCalls()).containsExactly(new ToolCall("call_9", "weather", Json.parse("{\"city\":\"Oslo\"}")));
        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.TOOL_CALLS);
        assertThat(response.usage()).isEqualTo(new Usage(50, 12));
    }

    @Test
    void argumentsThatAreNotJsonAreKeptAsText() {
        server.enqueue(FakeReply.toolCall("call_1", "weather", "{city: Paris"));
        ChatResponse response = model.chat(ChatRequest.of(List.of(ChatMessage.user("weather?")), List.of(weatherTool())));
        assertThat(response.toolCalls().get(0).arguments().isTextual()).isTrue();
        assertThat(response.toolCalls().get(0).arguments().asText()).isEqualTo("{city: Paris");
    }

    @Test
    void toolDefinitionsCallsAndResultsAreSerialisedAsOpenAiExpects() {
        ToolCall call = new ToolCall("call_abc", "weather", Json.parse("{\"city\":\"Paris\"}"));
        List<ChatMessage> conversation = List.of(
                ChatMessage.system("You help."),
                ChatMessage.user("Weather in Paris?"),
                ChatMessage.assistant("", List.of(call)),
                ChatMessage.tool(call, "{\"temp_c\":18}"),
                ChatMessage.assistant("Let me also check.", List.of(new ToolCall("call_def", "weather", Json.object()))),
                ChatMessage.tool(new ToolCall("call_def", "weather", Json.object()), "{}"));
        ChatRequest request = new ChatRequest(conversation, List.of(weatherTool(),
                new ToolDefinition("clock", null, null)), null, 0.2, 256, false);

        model.chat(request);

        assertThat(server.lastRequest().body()).isEqualTo(Json.parse("""
                {"model":"gpt-test",
                 "messages":[
                  {"role":"system","content":"You help."},
                  {"role":"user","content":"Weather in Paris?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"call_abc","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_abc","content":"{\\"temp_c\\":18}"},
                  {"role":"assistant","content":"Let me also check.","tool_calls":[
                    {"id":"call_def","type":"function","function":{"name":"weather","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"call_def","content":"{}"}],
                 "tools":[
                  {"type":"function","function":{"name":"weather","description":"Today's weather in a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                  {"type":"function","function":{"name":"clock","parameters":{"type":"object","properties":{}}}}],
                 "temperature":0.2,
                 "max_tokens":256}"""));
    }

    @Test
    void jsonModeAsksForAJsonObject() {
        server.enqueue(FakeReply.json("{\"answer\":42}"));
        ChatRequest request = new ChatRequest(List.of(ChatMessage.user("Reply in JSON: the answer?")), null, null,
                null, null, true);

        ChatResponse response = model.chat(request);

        assertThat(Json.parse(response.text())).isEqualTo(Json.parse("{\"answer\":42}"));
        JsonNode body = server.lastRequest().body();
        assertThat(body.path("response_format")).isEqualTo(Json.parse("{\"type\":\"json_object\"}"));
        assertThat(body.path("messages")).hasSize(1); // it says JSON already: nothing added
    }

    @Test
    void jsonModeAddsTheWordJsonWhenNoMessageHasIt() {
        ChatRequest request = new ChatRequest(List.of(ChatMessage.user("The answer?")), null, null, null, null, true);
        model.chat(request);
        JsonNode messages = server.lastRequest().body().path("messages");
        assertThat(messages.get(0)).isEqualTo(Json.parse("{\"role\":\"system\",\"content\":\"Respond with a single JSON object.\"}"));
        assertThat(messages.get(1).path("content").asText()).isEqualTo("The answer?");
    }

    @Test
    void aServerThatIgnoresStreamStillAnswers() {
        server.enqueue(FakeReply.text("whole").ignoreStream());
        List<String> seen = new CopyOnWriteArrayList<>();
        ChatResponse response = model.stream(ask("hi"), c -> seen.add(c.text()));
        assertThat(seen).containsExactly("whole");
        assertThat(response.text()).isEqualTo("whole");
    }

    @Test
    void aSlowConsumerIsNotAStall() {
        server.enqueue(FakeReply.text("one two three").chunkSize(4));
        StringBuilder seen = new StringBuilder();
        ChatResponse response = model.stream(ask("count"), chunk -> {
            if (seen.isEmpty()) {
                sleep(IDLE.toMillis() + 200); // longer than the idle timeout, on our side
            }
            seen.append(chunk.text());
        });
        assertThat(response.text()).isEqualTo("one two three");
        assertThat(seen.toString()).isEqualTo("one two three");
    }

    // ---- errors

    @Test
    void rateLimitCarriesRetryAfterSeconds() {
        server.enqueue(FakeOpenAiServer.rateLimited("7"));
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retrySameProvider()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e.getMessage()).contains("local/gpt-test", "HTTP 429", "rate limited",
                "Rate limit reached for requests", "retry after 7s");
    }

    @Test
    void rateLimitPrefersRetryAfterMs() {
        server.enqueue(FakeOpenAiServer.rateLimited("1").header("retry-after-ms", "250"));
        ModelException e = failure(() -> model.stream(ask("hi"), c -> {}));
        assertThat(e.retryAfter()).contains(Duration.ofMillis(250));
    }

    @Test
    void serverErrorsAreRetryable() {
        server.enqueue(FakeOpenAiServer.error(500, "server_error", null, "The server had an error"),
                FakeOpenAiServer.error(503, "server_error", null, "The engine is currently overloaded").header("Retry-After", "3"));
        ModelException first = failure(() -> model.chat(ask("hi")));
        ModelException second = failure(() -> model.stream(ask("hi"), c -> {}));
        assertThat(first.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(first.status()).isEqualTo(500);
        assertThat(first.retryable()).isTrue();
        assertThat(first.retryAfter()).isEmpty();
        assertThat(first.getMessage()).contains("HTTP 500", "server_error: The server had an error");
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.retryable()).isTrue();
        assertThat(second.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void wrongApiKeyIsNotRetryableAndSaysToCheckTheKey() {
        server.requireApiKey("sk-right");
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.AUTH);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("local/gpt-test", "Incorrect API key provided",
                "check the API key configured for provider 'local'");
    }

    @Test
    void missingApiKeySaysToSetOne() {
        server.enqueue(FakeOpenAiServer.error(403, "invalid_request_error", null, "Forbidden"));
        OpenAiModel keyless = new OpenAiModel("openai", server.baseUrl(), "  ", "gpt-test", HTTP, REQUEST_TIMEOUT, IDLE);
        ModelException e = failure(() -> keyless.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.AUTH);
        assertThat(e.getMessage()).contains("no API key is configured for provider 'openai'");
    }

    @Test
    void unknownModelIsNotRetryableAndSaysSo() {
        server.enqueue(FakeOpenAiServer.error(404, "invalid_request_error", "model_not_found",
                "The model `gpt-9` does not exist or you do not have access to it."));
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("model 'gpt-test' is unknown to provider 'local'", "does not exist");
    }

    @Test
    void badRequestIsNotRetryable() {
        server.enqueue(FakeOpenAiServer.error(400, "invalid_request_error", "context_length_exceeded",
                "This model's maximum context length is 8192 tokens."));
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("HTTP 400", "maximum context length");
    }

    @Test
    void requestTimeoutAndConflictAreRetryable() {
        server.enqueue(FakeReply.status(408, "{\"error\":\"timeout\"}"), FakeReply.status(409, "busy"));
        ModelException timeout = failure(() -> model.chat(ask("hi")));
        ModelException conflict = failure(() -> model.chat(ask("hi")));
        assertThat(timeout.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(timeout.retryable()).isTrue();
        assertThat(conflict.retryable()).isTrue();
        assertThat(conflict.getMessage()).contains("HTTP 409", "busy");
    }

    @Test
    void noAnswerWithinTheRequestTimeout() {
        server.enqueue(FakeReply.text("late").delay(Duration.ofSeconds(5)));
        OpenAiModel hasty = new OpenAiModel("local", server.baseUrl(), null, "gpt-test", HTTP, Duration.ofMillis(300));
        long started = System.nanoTime();
        ModelException e = failure(() -> hasty.chat(ask("hi")));
        assertThat(elapsedMs(started)).isLessThan(2000);
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.status()).isZero();
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("local/gpt-test", "no response", "within 0.3s");
    }

    @Test
    void connectionRefused() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        OpenAiModel nowhere = new OpenAiModel("local", "http://127.0.0.1:" + port + "/v1", null, "gpt-test", HTTP,
                REQUEST_TIMEOUT, IDLE);
        ModelException e = failure(() -> nowhere.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.CONNECT);
        assertThat(e.status()).isZero();
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("cannot connect to http://127.0.0.1:" + port + "/v1", "is the server running");
    }

    @Test
    void aLongAnswerInManyReadsArrivesIntactWithOrWithoutItsLength() throws Exception {
        // ~70 KB of multi-byte characters: the body takes several reads, and characters straddle their edges.
        String text = "Ça coûte 5 € — 日本語 ✓ 🙂 ".repeat(2500);
        server.enqueue(FakeReply.text(text).usage(7, 9000));
        ChatResponse sized = model.chat(ask("long"));
        assertThat(sized.text()).isEqualTo(text);
        assertThat(sized.usage()).isEqualTo(new Usage(7, 9000));

        byte[] body = Json.write(Json.object().put("model", "gpt-test").set("choices", Json.mapper().createArrayNode()
                .add(Json.object().put("index", 0).put("finish_reason", "stop")
                        .set("message", Json.object().put("role", "assistant").put("content", text)))))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        com.sun.net.httpserver.HttpServer chunked = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        chunked.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0); // no Content-Length: chunked, odd-sized pieces
            try (var out = exchange.getResponseBody()) {
                for (int i = 0; i < body.length; i += 999) {
                    out.write(body, i, Math.min(999, body.length - i));
                    out.flush();
                }
            }
        });
        chunked.start();
        try {
            OpenAiModel unsized = new OpenAiModel("local", "http://127.0.0.1:" + chunked.getAddress().getPort() + "/v1",
                    null, "gpt-test", HTTP, REQUEST_TIMEOUT, IDLE);
            assertThat(unsized.chat(ask("long")).text()).isEqualTo(text);
        } finally {
            chunked.stop(0);
        }
    }

    @Test
    void malformedBodyIsRetryableElsewhereButNotHere() {
        server.enqueue(FakeReply.malformed("{\"choices\": [ oops"));
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retrySameProvider()).isFalse();
        assertThat(e.getMessage()).contains("local/gpt-test", "unreadable answer", "not JSON", "{\"choices\": [ oops");
    }

    @Test
    void jsonWithoutChoicesIsMalformed() {
        server.enqueue(FakeReply.malformed("{\"object\":\"list\"}"));
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e.getMessage()).contains("no choices[0]");
    }

    @Test
    void malformedStreamEvent() {
        server.enqueue(FakeReply.malformed("{\"id\":\"x\",\"choices\":[{\"delta\":"));
        ModelException e = failure(() -> model.stream(ask("hi"), c -> {}));
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e.retrySameProvider()).isFalse();
    }

    @Test
    void streamThatDiesMidWayFailsQuickly() {
        server.enqueue(FakeReply.text("This answer will not finish").chunkSize(5).dieAfter(3));
        List<String> seen = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        ModelException e = failure(() -> model.stream(ask("hi"), c -> seen.add(c.text())));
        assertThat(elapsedMs(started)).isLessThan(1000);
        assertThat(e.kind()).isEqualTo(Kind.STREAM_BROKEN);
        assertThat(e.retryable()).isTrue();
        assertThat(seen).containsExactly("This ", "answe");
        assertThat(e.getMessage()).contains("local/gpt-test", "stream");
    }

    @Test
    void streamThatEndsWithoutDoneIsBroken() {
        server.enqueue(FakeReply.text("Cut short here").chunkSize(5).endAfter(2));
        ModelException e = failure(() -> model.stream(ask("hi"), c -> {}));
        assertThat(e.kind()).isEqualTo(Kind.STREAM_BROKEN);
        assertThat(e.getMessage()).contains("ended before the answer was complete", "after 2 events");
    }

    @Test
    void stalledStreamFailsWithinTheIdleTimeout() {
        server.enqueue(FakeReply.text("Then silence").chunkSize(4).stallAfter(2, Duration.ofSeconds(10)));
        List<String> seen = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        ModelException e = failure(() -> model.stream(ask("hi"), c -> seen.add(c.text())));
        long elapsed = elapsedMs(started);
        assertThat(elapsed).isBetween(IDLE.toMillis() - 50, 1500L);
        assertThat(e.kind()).isEqualTo(Kind.STALLED);
        assertThat(e.retryable()).isTrue();
        assertThat(seen).containsExactly("Then");
        assertThat(e.getMessage()).contains("local/gpt-test", "stalled", "0.3s");
    }

    @Test
    void errorReportedMidStream() {
        server.enqueue(FakeReply.text("Partial answer").chunkSize(4).errorAfter(2, "server_error", "backend crashed"));
        ModelException e = failure(() -> model.stream(ask("hi"), c -> {}));
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("backend crashed");
    }

    @Test
    void interruptingTheCallerCancelsTheCall() throws Exception {
        server.enqueue(FakeReply.text("slow answer").stallAfter(1, Duration.ofSeconds(10)));
        OpenAiModel patient = new OpenAiModel("local", server.baseUrl(), null, "gpt-test", HTTP,
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                patient.stream(ask("hi"), c -> {});
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        Thread.sleep(300);
        caller.interrupt();
        caller.join(3000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(ModelException.class);
        assertThat(((ModelException) thrown.get()).kind()).isEqualTo(Kind.CANCELLED);
        assertThat(stillInterrupted.get()).isTrue();
    }

    @Test
    void interruptingAPlatformThreadCallerCancelsTheCallToo() throws Exception {
        // `steward ask` runs on the main thread and Ctrl-C interrupts it: a plain socket read would not wake up.
        server.enqueue(FakeReply.text("slow answer").delay(Duration.ofSeconds(10)));
        OpenAiModel patient = new OpenAiModel("local", server.baseUrl(), null, "gpt-test", HTTP,
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                patient.chat(ask("hi"));
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        Thread.sleep(300);
        caller.interrupt();
        caller.join(3000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(ModelException.class);
        assertThat(((ModelException) thrown.get()).kind()).isEqualTo(Kind.CANCELLED);
        assertThat(stillInterrupted.get()).isTrue();
    }

    @Test
    void redirectsAreNotFollowed() {
        server.enqueue(FakeReply.status(307, "").header("Location", "http://elsewhere.example/v1/chat/completions"));
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.getMessage()).contains("HTTP 307", "redirected to http://elsewhere.example/v1/chat/completions");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aPooledConnectionTheServerClosedIsReplacedWithoutAnError() throws Exception {
        // Like uvicorn or Node after 5 idle seconds: answer on a keep-alive connection, then close it unannounced.
        String answer = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"Paris.\"},"
                + "\"finish_reason\":\"stop\"}]}";
        try (ServerSocket listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
            CountDownLatch closed = new CountDownLatch(1);
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try (java.net.Socket socket = listener.accept()) {
                        connections.incrementAndGet();
                        var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                                java.nio.charset.StandardCharsets.ISO_8859_1));
                        int length = 0;
                        for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                                length = Integer.parseInt(line.substring(15).strip());
                            }
                        }
                        for (long left = length; left > 0; ) {
                            left -= in.skip(left);
                        }
                        socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                + "Content-Length: " + answer.length() + "\r\n\r\n" + answer)
                                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().flush();
                        Thread.sleep(100);
                    } catch (Exception e) {
                        // the next connection, or the end of the test
                    }
                    closed.countDown();
                }
            });
            OpenAiModel local = new OpenAiModel("local", "http://127.0.0.1:" + listener.getLocalPort() + "/v1", null,
                    "gpt-test", HTTP, REQUEST_TIMEOUT, IDLE);
            assertThat(local.chat(ask("hi")).text()).isEqualTo("Paris.");
            closed.await();
            Thread.sleep(100);
            assertThat(local.chat(ask("hi again")).text()).isEqualTo("Paris.");
            assertThat(connections.get()).isEqualTo(2);
        }
    }

    // ---- helpers

    static ModelException failure(Runnable call) {
        ModelException e = catchThrowableOfType(ModelException.class, call::run);
        assertThat(e).as("expected a ModelException").isNotNull();
        return e;
    }

    static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
