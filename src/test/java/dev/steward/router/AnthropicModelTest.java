package dev.steward.router;

import static dev.steward.router.OpenAiModelTest.HTTP;
import static dev.steward.router.OpenAiModelTest.elapsedMs;
import static dev.steward.router.OpenAiModelTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.router.ModelException.Kind;
import dev.steward.router.fake.FakeAnthropicServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.router.fake.RecordedRequest;
import dev.steward.support.Json;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicModelTest {
    static final Duration REQUEST_TIMEOUT = Duration.ofMillis(1500);
    static final Duration IDLE = Duration.ofMillis(300);

    FakeAnthropicServer server;
    AnthropicModel model;

    /** Class loading and JIT warm-up take a second on a busy machine: keep them out of the timed tests. */
    @BeforeAll
    static void warmUp() {
        try (FakeAnthropicServer warm = FakeAnthropicServer.start()) {
            AnthropicModel warmModel = new AnthropicModel("warm", warm.baseUrl(), "k", "m", HTTP, Duration.ofSeconds(5));
            warmModel.chat(ask("hi"));
            warmModel.stream(ask("hi"), c -> {});
        }
    }

    @BeforeEach
    void start() {
        server = FakeAnthropicServer.start();
        model = new AnthropicModel("anthropic", server.baseUrl(), "sk-ant-test", "claude-test", HTTP,
                REQUEST_TIMEOUT, IDLE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static ChatRequest ask(String text) {
        return ChatRequest.of(List.of(ChatMessage.system("Be brief."), ChatMessage.user(text)), null);
    }

    // ---- answers

    @Test
    void plainAnswerWithUsage() {
        server.enqueue(FakeReply.text("Paris.").usage(25, 4));

        ChatResponse response = model.chat(ask("Capital of France?"));

        assertThat(response.text()).isEqualTo("Paris.");
        assertThat(response.usage()).isEqualTo(new Usage(25, 4));
        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.STOP);
        assertThat(response.model()).isEqualTo("claude-test");

        RecordedRequest request = server.lastRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/messages");
        assertThat(request.header("x-api-key")).isEqualTo("sk-ant-test");
        assertThat(request.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(request.header("Authorization")).isNull();
        assertThat(request.body()).isEqualTo(Json.parse("""
                {"model":"claude-test","max_tokens":4096,"system":"Be brief.",
                 "messages":[{"role":"user","content":[{"type":"text","text":"Capital of France?"}]}]}"""));
    }

    @Test
    void stopReasonsAreMapped() {
        server.enqueue(FakeReply.text("It was a dark and").finishReason("max_tokens"),
                FakeReply.text("Done").finishReason("stop_sequence"));
        assertThat(model.chat(ask("story")).finishReason()).isEqualTo(ChatResponse.FinishReason.LENGTH);
        assertThat(model.chat(ask("story")).finishReason()).isEqualTo(ChatResponse.FinishReason.STOP);
    }

    @Test
    void streamingDeliversChunksInOrderBeforeTheEnd() {
        CountDownLatch gate = new CountDownLatch(1);
        // message_start, content_block_start, ping, "The ", "quic" — then the server waits for the test.
        server.enqueue(FakeReply.text("The quick brown fox").chunkSize(4).usage(31, 6).holdAfter(5, gate));
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
        assertThat(response.usage()).isEqualTo(new Usage(31, 6));
        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.STOP);
        assertThat(server.lastRequest().body().path("stream").asBoolean()).isTrue();
        assertThat(server.lastRequest().header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void streamedToolUseAssemblesIntoToolCalls() {
        server.enqueue(FakeReply.text("Let me check.")
                .andToolCall("toolu_01", "weather", "{\"city\":\"Paris\",\"days\":3}")
                .andToolCall("toolu_02", "clock", "")
                .chunkSize(6));
        List<ChatChunk> chunks = new CopyOnWriteArrayList<>();

        ChatResponse response = model.stream(ChatRequest.of(List.of(ChatMessage.user("weather?")),
                List.of(OpenAiModelTest.weatherTool())), chunks::add);

        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.TOOL_CALLS);
        assertThat(response.text()).isEqualTo("Let me check.");
        assertThat(response.toolCalls()).containsExactly(
                new ToolCall("toolu_01", "weather", Json.parse("{\"city\":\"Paris\",\"days\":3}")),
                new ToolCall("toolu_02", "clock", Json.object()));
        List<ChatChunk.ToolCallDelta> deltas = chunks.stream().flatMap(c -> c.toolCalls().stream()).toList();
        // tool calls are numbered 0, 1 although they are content blocks 1 and 2
        assertThat(deltas.get(0)).isEqualTo(new ChatChunk.ToolCallDelta(0, "toolu_01", "weather", ""));
        assertThat(deltas).filteredOn(d -> d.id() != null)
                .extracting(ChatChunk.ToolCallDelta::index).containsExactly(0, 1);
        StringBuilder args = new StringBuilder();
        deltas.stream().filter(d -> d.index() == 0).forEach(d -> args.append(d.argumentsFragment()));
        assertThat(args.toString()).isEqualTo("{\"city\":\"Paris\",\"days\":3}");
        assertThat(deltas.stream().filter(d -> d.index() == 0 && d.id() == null).count()).isGreaterThan(2);
    }

    @Test
    void wholeToolUseAnswerIsParsed() {
        server.enqueue(FakeReply.toolCall("toolu_9", "weather", "{\"city\":\"Oslo\"}").usage(60, 20));
        ChatResponse response = model.chat(ChatRequest.of(List.of(ChatMessage.user("weather?")),
                List.of(OpenAiModelTest.weatherTool())));
        assertThat(response.toolCalls()).containsExactly(new ToolCall("toolu_9", "weather", Json.parse("{\"city\":\"Oslo\"}")));
        assertThat(response.finishReason()).isEqualTo(ChatResponse.FinishReason.TOOL_CALLS);
        assertThat(response.usage()).isEqualTo(new Usage(60, 20));
    }

    @Test
    void conversationIsTranslatedAsTheMessagesApiRequires() {
        ToolCall paris = new ToolCall("toolu_a", "weather", Json.parse("{\"city\":\"Paris\"}"));
        ToolCall lyon = new ToolCall("toolu_b", "weather", Json.parse("{\"city\":\"Lyon\"}"));
        List<ChatMessage> conversation = List.of(
                ChatMessage.system("You help."),
                ChatMessage.user("Weather in Paris"),
                ChatMessage.user("and Lyon?"),
                ChatMessage.assistant("Checking both.", List.of(paris, lyon)),
                ChatMessage.tool(paris, "{\"temp_c\":18}"),
                ChatMessage.tool(lyon, "{\"temp_c\":21}"),
                ChatMessage.user("Which is warmer?"),
                ChatMessage.system("Answer in one sentence."));
        ChatRequest request = new ChatRequest(conversation, List.of(OpenAiModelTest.weatherTool(),
                new ToolDefinition("clock", null, null)), null, 1.7, 300, false);

        model.chat(request);

        assertThat(server.lastRequest().body()).isEqualTo(Json.parse("""
                {"model":"claude-test","max_tokens":300,
                 "system":"You help.\\n\\nAnswer in one sentence.",
                 "messages":[
                  {"role":"user","content":[
                    {"type":"text","text":"Weather in Paris"},
                    {"type":"text","text":"and Lyon?"}]},
                  {"role":"assistant","content":[
                    {"type":"text","text":"Checking both."},
                    {"type":"tool_use","id":"toolu_a","name":"weather","input":{"city":"Paris"}},
                    {"type":"tool_use","id":"toolu_b","name":"weather","input":{"city":"Lyon"}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_a","content":"{\\"temp_c\\":18}"},
                    {"type":"tool_result","tool_use_id":"toolu_b","content":"{\\"temp_c\\":21}"},
                    {"type":"text","text":"Which is warmer?"}]}],
                 "tools":[
                  {"name":"weather","description":"Today's weather in a city",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
                  {"name":"clock","input_schema":{"type":"object","properties":{}}}],
                 "temperature":1.0}"""));
    }

    @Test
    void assistantToolCallWithoutTextHasOnlyToolUseBlocks() {
        ToolCall call = new ToolCall("toolu_x", "clock", null);
        JsonNode messages = AnthropicModel.messages(List.of(ChatMessage.user("time?"),
                ChatMessage.assistant("", List.of(call)), ChatMessage.tool(call, "")));
        assertThat(messages).isEqualTo(Json.parse("""
                [{"role":"user","content":[{"type":"text","text":"time?"}]},
                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_x","name":"clock","input":{}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x"}]}]"""));
    }

    @Test
    void jsonModeAsksInTheSystemPromptAndUnfencesTheAnswer() {
        server.enqueue(FakeReply.json("```json\n{\"answer\": 42}\n```"));
        ChatRequest request = new ChatRequest(List.of(ChatMessage.system("You count."), ChatMessage.user("The answer?")),
                null, null, null, null, true);

        ChatResponse response = model.chat(request);

        assertThat(Json.parse(response.text())).isEqualTo(Json.parse("{\"answer\":42}"));
        assertThat(server.lastRequest().body().path("system").asText())
                .isEqualTo("You count.\n\n" + AnthropicModel.JSON_INSTRUCTION);
    }

    @Test
    void jsonModeStreamedAnswerIsUnfencedToo() {
        server.enqueue(FakeReply.json("```\n{\"ok\":true}\n```").chunkSize(3));
        ChatResponse response = model.stream(new ChatRequest(List.of(ChatMessage.user("ok?")), null, null, null, null,
                true), c -> {});
        assertThat(response.text()).isEqualTo("{\"ok\":true}");
    }

    // ---- errors

    @Test
    void rateLimitCarriesRetryAfter() {
        server.enqueue(FakeAnthropicServer.rateLimited("12"));
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
        assertThat(e.getMessage()).contains("anthropic/claude-test", "HTTP 429",
                "rate_limit_error: This request would exceed the rate limit", "retry after 12s");
    }

    @Test
    void overloadedIsRetryable() {
        server.enqueue(FakeAnthropicServer.overloaded(), FakeAnthropicServer.error(500, "api_error", "Internal server error"));
        ModelException overloaded = failure(() -> model.stream(ask("hi"), c -> {}));
        ModelException internal = failure(() -> model.chat(ask("hi")));
        assertThat(overloaded.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(overloaded.status()).isEqualTo(529);
        assertThat(overloaded.retryable()).isTrue();
        assertThat(overloaded.getMessage()).contains("overloaded", "overloaded_error: Overloaded");
        assertThat(internal.status()).isEqualTo(500);
        assertThat(internal.retryable()).isTrue();
    }

    @Test
    void wrongApiKeyIsNotRetryableAndSaysToCheckTheKey() {
        server.requireApiKey("sk-ant-right");
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.AUTH);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("authentication_error: invalid x-api-key",
                "check the API key configured for provider 'anthropic'");
    }

    @Test
    void unknownModelIsNotRetryable() {
        server.enqueue(FakeAnthropicServer.error(404, "not_found_error", "model: claude-9"));
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("model 'claude-test' is unknown to provider 'anthropic'", "model: claude-9");
    }

    @Test
    void invalidRequestIsNotRetryable() {
        server.enqueue(FakeAnthropicServer.error(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"));
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.BAD_REQUEST);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.retryable()).isFalse();
        assertThat(e.getMessage()).contains("prompt is too long");
    }

    @Test
    void noAnswerWithinTheRequestTimeout() {
        server.enqueue(FakeReply.text("late").delay(Duration.ofSeconds(5)));
        AnthropicModel hasty = new AnthropicModel("anthropic", server.baseUrl(), "k", "claude-test", HTTP,
                Duration.ofMillis(300));
        long started = System.nanoTime();
        ModelException e = failure(() -> hasty.stream(ask("hi"), c -> {}));
        assertThat(elapsedMs(started)).isLessThan(2000);
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void malformedBody() {
        server.enqueue(FakeReply.malformed("<html>Bad gateway</html>").contentType("text/html"));
        ModelException e = failure(() -> model.chat(ask("hi")));
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.retrySameProvider()).isFalse();
        assertThat(e.getMessage()).contains("anthropic/claude-test", "<html>Bad gateway</html>");
    }

    @Test
    void malformedStreamEvent() {
        server.enqueue(FakeReply.malformed("{\"type\":\"content_block_delta\",\"index\":"));
        ModelException e = failure(() -> model.stream(ask("hi"), c -> {}));
        assertThat(e.kind()).isEqualTo(Kind.MALFORMED);
    }

    @Test
    void errorEventMidStream() {
        server.enqueue(FakeReply.text("Partial answer").chunkSize(4).errorAfter(4, "overloaded_error", "Overloaded"));
        List<String> seen = new CopyOnWriteArrayList<>();
        ModelException e = failure(() -> model.stream(ask("hi"), c -> seen.add(c.text())));
        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("overloaded_error: Overloaded");
        assertThat(seen).containsExactly("Part");
    }

    @Test
    void streamThatDiesMidWayFailsQuickly() {
        server.enqueue(FakeReply.text("This answer will not finish").chunkSize(5).dieAfter(5));
        List<String> seen = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        ModelException e = failure(() -> model.stream(ask("hi"), c -> seen.add(c.text())));
        assertThat(elapsedMs(started)).isLessThan(1000);
        assertThat(e.kind()).isEqualTo(Kind.STREAM_BROKEN);
        assertThat(e.retryable()).isTrue();
        assertThat(seen).containsExactly("This ", "answe");
    }

    @Test
    void streamThatEndsWithoutMessageStopIsBroken() {
        server.enqueue(FakeReply.text("Cut short").chunkSize(3).endAfter(4));
        ModelException e = failure(() -> model.stream(ask("hi"), c -> {}));
        assertThat(e.kind()).isEqualTo(Kind.STREAM_BROKEN);
        assertThat(e.getMessage()).contains("ended before the answer was complete");
    }

    @Test
    void stalledStreamFailsWithinTheIdleTimeout() {
        server.enqueue(FakeReply.text("Then silence").chunkSize(4).stallAfter(4, Duration.ofSeconds(10)));
        long started = System.nanoTime();
        ModelException e = failure(() -> model.stream(ask("hi"), c -> {}));
        assertThat(elapsedMs(started)).isBetween(IDLE.toMillis() - 50, 1500L);
        assertThat(e.kind()).isEqualTo(Kind.STALLED);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("anthropic/claude-test", "stalled");
    }
}
