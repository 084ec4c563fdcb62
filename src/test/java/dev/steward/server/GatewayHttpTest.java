package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.BudgetConfig;
import dev.steward.config.Role;
import dev.steward.identity.Accounts;
import dev.steward.router.ChatChunk;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatResponse;
import dev.steward.router.ToolCall;
import dev.steward.router.Usage;
import dev.steward.support.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway over raw HTTP: exact statuses, error objects, headers, and streaming as it happens. */
class GatewayHttpTest {
    @TempDir
    static Path home;
    static Gateway gateway;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        gateway = new Gateway(home, null);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url(path)))
                .header("Authorization", "Bearer " + gateway.key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url(path)))
                .header("Authorization", "Bearer " + gateway.key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode error(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = Json.parse(response.body());
        assertThat(body.fieldNames()).toIterable().containsExactly("error");
        assertThat(body.get("error").fieldNames()).toIterable().containsExactly("message", "type", "param", "code");
        return body.get("error");
    }

    static String chat(String model, String text) {
        return Json.write(Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", text))));
    }

    @Test
    void health() throws Exception {
        HttpResponse<String> response = get("/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body())).isEqualTo(Json.object().put("status", "ok"));
    }

    @Test
    void completionInOpenAiShapeWithRoutingHeaders() throws Exception {
        gateway.fast.thenStream("Bonjour");
        HttpResponse<String> response = post("/v1/chat/completions", chat("fast", "Say hi in French"));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("id").asText()).matches("chatcmpl-[A-Za-z0-9]{24}");
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("created").asLong()).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
        assertThat(body.get("model").asText()).isEqualTo("test/fast");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isEqualTo("Bonjour");
        assertThat(choice.get("message").has("tool_calls")).isFalse();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.get("usage")).isEqualTo(Json.parse("{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}"));
        assertThat(response.headers().firstValue("x-steward-model")).contains("test/fast");
        assertThat(response.headers().firstValue("x-steward-route")).contains("requested test/fast");
        assertThat(response.headers().firstValue("x-steward-cost-micros")).contains("14");
    }

    @Test
    void requestTranslation() throws Exception {
        String body = """
                {"model": "test/fast",
                 "messages": [
                   {"role": "developer", "content": "Answer in JSON."},
                   {"role": "user", "content": [{"type": "text", "text": "first"}, {"type": "text", "text": "second"}]},
                   {"role": "assistant", "content": null,
                    "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{\\"a\\":1}"}}]},
                   {"role": "tool", "tool_call_id": "c1", "content": "done"}],
                 "max_tokens": 77, "response_format": {"type": "json_object"}, "tool_choice": "none",
                 "tools": [{"type": "function", "function": {"name": "f"}}],
                 "user": "ignored", "seed": 3}
                """;
        HttpResponse<String> response = post("/v1/chat/completions", body);
        assertThat(response.statusCode()).isEqualTo(200);
        var seen = gateway.fast.lastRequest();
        assertThat(seen.model()).isEqualTo("test/fast");
        assertThat(seen.maxTokens()).isEqualTo(77);
        assertThat(seen.jsonMode()).isTrue();
        assertThat(seen.tools()).isEmpty();
        assertThat(seen.messages().get(0)).isEqualTo(ChatMessage.system("Answer in JSON."));
        assertThat(seen.messages().get(1).content()).isEqualTo("first\nsecond");
        assertThat(seen.messages().get(2).toolCalls().get(0).arguments()).isEqualTo(Json.parse("{\"a\":1}"));
        assertThat(seen.messages().get(3).toolCallId()).isEqualTo("c1");
        assertThat(seen.messages().get(3).name()).isEqualTo("f");
    }

    @Test
    void listsEveryModelName() throws Exception {
        HttpResponse<String> response = get("/v1/models");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = Json.parse(response.body());
        assertThat(body.get("object").asText()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        body.get("data").forEach(m -> {
            ids.add(m.get("id").asText());
            assertThat(m.get("object").asText()).isEqualTo("model");
            assertThat(m.get("created").isIntegralNumber()).isTrue();
            assertThat(m.get("owned_by").isTextual()).isTrue();
        });
        assertThat(ids).isEqualTo(gateway.router.modelNames());
        assertThat(body.get("data").get(5).get("owned_by").asText()).isEqualTo("test");
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", "{\n  \"model\": \"test/fast\",\n  \"messages\": [}\n");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = error(response);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_json");
        assertThat(error.get("param").isNull()).isTrue();
        assertThat(error.get("message").asText()).contains("line 3, column 16");
    }

    @Test
    void missingAndWrongTypedFieldsNameTheField() throws Exception {
        assertBadField("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model", "missing_required_parameter");
        assertBadField("{\"model\": 5, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}", "model", "invalid_type");
        assertBadField("{\"model\": \"test/fast\"}", "messages", "missing_required_parameter");
        assertBadField("{\"model\": \"test/fast\", \"messages\": \"hi\"}", "messages", "invalid_type");
        assertBadField("{\"model\": \"test/fast\", \"messages\": [{\"content\": \"hi\"}]}", "messages[0].role",
                "missing_required_parameter");
        assertBadField("{\"model\": \"test/fast\", \"messages\": [{\"role\": 1, \"content\": \"hi\"}]}", "messages[0].role",
                "invalid_type");
        assertBadField("{\"model\": \"test/fast\", \"messages\": [{\"role\": \"robot\", \"content\": \"hi\"}]}",
                "messages[0].role", "invalid_value");
        assertBadField("{\"model\": \"test/fast\", \"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}",
                "messages[0].tool_call_id", "missing_required_parameter");
        assertBadField("{\"model\": \"test/fast\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": \"hot\"}",
                "temperature", "invalid_type");
        assertBadField("{\"model\": \"test/fast\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream\": \"yes\"}",
                "stream", "invalid_type");
    }

    private static void assertBadField(String body, String param, String code) throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", body);
        assertThat(response.statusCode()).as(body).isEqualTo(400);
        JsonNode error = error(response);
        assertThat(error.get("param").asText()).as(body).isEqualTo(param);
        assertThat(error.get("code").asText()).as(body).isEqualTo(code);
        assertThat(error.get("message").asText()).as(body).contains(param);
    }

    @Test
    void unknownModelIs404ListingTheModels() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", chat("gpt-9", "hi"));
        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = error(response);
        assertThat(error.get("code").asText()).isEqualTo("model_not_found");
        assertThat(error.get("param").asText()).isEqualTo("model");
        assertThat(error.get("message").asText()).contains("gpt-9").contains("steward/auto").contains("test/fast");
    }

    @Test
    void promptTooLargeIsContextLengthExceeded() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions", chat("test/tiny", "word ".repeat(100)));
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = error(response);
        assertThat(error.get("code").asText()).isEqualTo("context_length_exceeded");
        assertThat(error.get("param").asText()).isEqualTo("messages");
        assertThat(error.get("message").asText()).contains("129 tokens").contains("at most 20");
        assertThat(gateway.tiny.requests()).isEmpty();
    }

    @Test
    void modelFailureIs502WithTheReason() throws Exception {
        gateway.broken.thenFail("upstream said 500");
        HttpResponse<String> response = post("/v1/chat/completions", chat("test/broken", "hi"));
        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = error(response);
        assertThat(error.get("code").asText()).isEqualTo("no_model_available");
        assertThat(error.get("message").asText()).contains("test/broken: upstream said 500");
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() throws Exception {
        HttpResponse<String> missing = get("/v1/nothing-here");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(error(missing).get("code").asText()).isEqualTo("unknown_url");
        assertThat(error(missing).get("message").asText()).contains("GET /v1/nothing-here");

        HttpResponse<String> wrong = get("/v1/chat/completions");
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(error(wrong).get("code").asText()).isEqualTo("method_not_allowed");
        assertThat(wrong.headers().firstValue("Allow")).contains("POST");

        HttpResponse<String> wrongToo = post("/v1/models", "{}");
        assertThat(wrongToo.statusCode()).isEqualTo(405);
        assertThat(wrongToo.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void overBudgetIs429WithSpendResetAndRetryAfter(@TempDir Path budgetHome) throws Exception {
        BudgetConfig budgets = new BudgetConfig(BudgetConfig.OnExceeded.REFUSE, null,
                new BudgetConfig.Limits(null, 0.001, null), null, null);
        try (Gateway limited = new Gateway(budgetHome, budgets)) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(limited.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + limited.key)
                    .POST(HttpRequest.BodyPublishers.ofString(chat("test/fast", "hi"))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(429);
            JsonNode error = error(response);
            assertThat(error.get("type").asText()).isEqualTo("insufficient_quota");
            assertThat(error.get("code").asText()).isEqualTo("budget_exceeded");
            Instant midnight = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
            assertThat(error.get("message").asText()).contains("daily global budget of $0.00")
                    .contains("$0.00 used").contains("resets at " + midnight);
            long retryAfter = Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(Duration.between(Instant.now(), midnight).toSeconds() - 5,
                    Duration.between(Instant.now(), midnight).toSeconds() + 2);
            assertThat(limited.fast.requests()).isEmpty();
        }
    }

    @Test
    void streamInOpenAiShape() throws Exception {
        gateway.fast.thenStream("Hel", "lo");
        String body = Json.write(Map.of("model", "fast", "stream", true,
                "stream_options", Map.of("include_usage", true),
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + gateway.key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> lines = response.body().toList();
        List<String> data = lines.stream().filter(l -> !l.isEmpty()).toList();
        assertThat(data).allMatch(l -> l.startsWith("data: "));
        assertThat(data.getLast()).isEqualTo("data: [DONE]");
        List<JsonNode> events = data.subList(0, data.size() - 1).stream().map(l -> Json.parse(l.substring(6))).toList();
        assertThat(events).hasSize(5);
        String id = events.get(0).get("id").asText();
        assertThat(events).allMatch(e -> e.get("id").asText().equals(id) && e.get("object").asText().equals("chat.completion.chunk"));
        assertThat(events.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(events.get(0).get("model").asText()).isEqualTo("fast");
        assertThat(events.get(1).at("/choices/0/delta/content").asText()).isEqualTo("Hel");
        assertThat(events.get(2).at("/choices/0/delta/content").asText()).isEqualTo("lo");
        assertThat(events.get(2).at("/choices/0/finish_reason").isNull()).isTrue();
        assertThat(events.get(3).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(events.get(3).get("model").asText()).isEqualTo("test/fast");
        assertThat(events.get(4).get("choices")).isEmpty();
        assertThat(events.get(4).get("usage")).isEqualTo(Json.parse("{\"prompt_tokens\":12,\"completion_tokens\":2,\"total_tokens\":14}"));
    }

    @Test
    void streamSendsWholeToolCallsOfAModelThatDoesNotStreamThem() throws Exception {
        gateway.fast.thenCall(new Usage(30, 9), new ToolCall("call_1", "f", Json.parse("{\"x\":[1,2]}")));
        List<JsonNode> events = streamEvents(Json.write(Map.of("model", "test/fast", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "go")))));
        JsonNode call = events.get(1).at("/choices/0/delta/tool_calls/0");
        assertThat(call.get("index").asInt()).isZero();
        assertThat(call.get("id").asText()).isEqualTo("call_1");
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("f");
        assertThat(call.at("/function/arguments").asText()).isEqualTo("{\"x\":[1,2]}");
        assertThat(events.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    }

    private static List<JsonNode> streamEvents(String body) throws Exception {
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + gateway.key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = response.body().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data.getLast()).isEqualTo("data: [DONE]");
        return data.subList(0, data.size() - 1).stream().map(l -> Json.parse(l.substring(6))).toList();
    }

    @Test
    void streamErrorsBeforeTheFirstChunkKeepTheirStatus() throws Exception {
        HttpResponse<String> response = post("/v1/chat/completions",
                Json.write(Map.of("model", "nope", "stream", true, "messages", List.of(Map.of("role", "user", "content", "hi")))));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(error(response).get("code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void streamThatBreaksOffEndsWithAnErrorEvent() throws Exception {
        gateway.broken.thenBreakOff("partial", "connection reset by upstream");
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + gateway.key)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("model", "test/broken", "stream", true,
                        "messages", List.of(Map.of("role", "user", "content", "hi")))))).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        List<String> data = response.body().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data).doesNotContain("data: [DONE]");
        assertThat(Json.parse(data.get(1).substring(6)).at("/choices/0/delta/content").asText()).isEqualTo("partial");
        JsonNode error = Json.parse(data.getLast().substring(6)).get("error");
        assertThat(error.get("code").asText()).isEqualTo("no_model_available");
        assertThat(error.get("message").asText()).contains("connection reset by upstream");
    }

    @Test
    void streamingIsIncremental() throws Exception {
        CountDownLatch firstChunkReceived = new CountDownLatch(1);
        AtomicBoolean clientHadFirstBeforeSecondWasProduced = new AtomicBoolean();
        gateway.slow.thenPlay((request, out) -> {
            out.accept(ChatChunk.text("first"));
            try {
                clientHadFirstBeforeSecondWasProduced.set(firstChunkReceived.await(2, TimeUnit.SECONDS));
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.accept(ChatChunk.text("second"));
            return new ChatResponse("firstsecond", null, new Usage(5, 2), null, ChatResponse.FinishReason.STOP);
        });
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + gateway.key)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("model", "test/slow", "stream", true,
                        "messages", List.of(Map.of("role", "user", "content", "hi")))))).build(), HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = response.body().filter(l -> l.startsWith("data: ")).iterator();
        List<String> contents = new ArrayList<>();
        long firstAt = 0;
        long secondAt = 0;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.equals("data: [DONE]")) {
                break;
            }
            String content = Json.parse(line.substring(6)).at("/choices/0/delta/content").asText("");
            if (content.equals("first")) {
                firstAt = System.nanoTime();
                firstChunkReceived.countDown();
            } else if (content.equals("second")) {
                secondAt = System.nanoTime();
            }
            if (!content.isEmpty()) {
                contents.add(content);
            }
        }
        assertThat(contents).containsExactly("first", "second");
        assertThat(clientHadFirstBeforeSecondWasProduced).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(secondAt - firstAt)).isGreaterThanOrEqualTo(250);
    }

    @Test
    void clientThatLeavesMidStreamStopsTheModel() throws Exception {
        CountDownLatch clientLeft = new CountDownLatch(1);
        CompletableFuture<String> modelSaw = new CompletableFuture<>();
        gateway.slow.thenPlay((request, out) -> {
            out.accept(ChatChunk.text("start"));
            try {
                clientLeft.await(5, TimeUnit.SECONDS);
                for (int i = 0; i < 200; i++) {
                    out.accept(ChatChunk.text(" more"));
                    Thread.sleep(10);
                }
                modelSaw.complete("nothing");
            } catch (RuntimeException e) {
                modelSaw.complete(e.getMessage());
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ChatResponse("start", null, new Usage(1, 1), null, ChatResponse.FinishReason.STOP);
        });
        HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + gateway.key)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("model", "test/slow", "stream", true,
                        "messages", List.of(Map.of("role", "user", "content", "leave early")))))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null && !line.contains("\"start\"")) {
                // wait for the first piece of the answer
            }
        }
        clientLeft.countDown();
        assertThat(modelSaw.get(5, TimeUnit.SECONDS)).isEqualTo("the client closed the connection");
        // The model saw the cancellation before the router recorded the call: wait for the row, do not race it.
        String outcome = null;
        for (long deadline = System.nanoTime() + 5_000_000_000L; outcome == null && System.nanoTime() < deadline; ) {
            gateway.log.flush();
            outcome = gateway.database.jdbi().withHandle(h -> h.createQuery(
                    "SELECT outcome FROM model_calls WHERE model = 'slow' AND error LIKE '%client closed%'")
                    .mapTo(String.class).findOne().orElse(null));
            if (outcome == null) {
                Thread.sleep(20);
            }
        }
        assertThat(outcome).isEqualTo("error");
    }

    @Test
    void withoutAValidKeyTheGatewayAnswers401InOpenAisShape() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/models"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(error(none).get("type").asText()).isEqualTo("authentication_error");
        assertThat(error(none).get("message").asText()).contains("steward keys create");
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/models")))
                .header("Authorization", "Bearer stw_not-a-key").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(error(wrong).get("code").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void callsAreRecordedForTheUserWhoseKeyMadeThem() throws Exception {
        String carolKey = gateway.keyOf("carol", Role.STANDARD);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + carolKey)
                .POST(HttpRequest.BodyPublishers.ofString(chat("test/fast", "carol's call"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        gateway.log.flush();
        String carol = gateway.accounts.findUser("carol").orElseThrow().id();
        long calls = gateway.database.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM model_calls WHERE user_id = :u").bind("u", carol).mapTo(Long.class).one());
        assertThat(calls).isEqualTo(1);
    }

    @Test
    void gatewayCallsAreRecordedWithTokensAndCost() throws Exception {
        gateway.fast.thenStream("a", "b", "c");
        HttpResponse<String> response = post("/v1/chat/completions", chat("test/fast", "record me"));
        assertThat(response.statusCode()).isEqualTo(200);
        gateway.log.flush();
        Map<String, Object> row = gateway.database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT user_id, provider, model, tokens_in, tokens_out, cost_micros, outcome, route_reason"
                                + " FROM model_calls WHERE model = 'fast' ORDER BY created_at DESC LIMIT 1")
                .mapToMap().one());
        assertThat(row).containsEntry("user_id", gateway.alice.id()).containsEntry("provider", "test")
                .containsEntry("outcome", "ok").containsEntry("route_reason", "requested test/fast");
        assertThat(((Number) row.get("tokens_in")).longValue()).isEqualTo(12);
        assertThat(((Number) row.get("tokens_out")).longValue()).isEqualTo(3);
        assertThat(((Number) row.get("cost_micros")).longValue()).isEqualTo(12 * 1 + 3 * 2);
    }

    @Test
    void stopLetsInFlightRequestsFinish(@TempDir Path stopHome) throws Exception {
        Gateway own = new Gateway(stopHome, null);
        CountDownLatch started = new CountDownLatch(1);
        own.slow.thenPlay((request, out) -> {
            started.countDown();
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new ChatResponse("finished", null, new Usage(1, 1), null, ChatResponse.FinishReason.STOP);
        });
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(URI.create(own.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + own.key)
                .POST(HttpRequest.BodyPublishers.ofString(chat("test/slow", "take your time"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        own.close();
        HttpResponse<String> response = inFlight.get(5, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()).at("/choices/0/message/content").asText()).isEqualTo("finished");
        assertThat(CompletableFuture.supplyAsync(() -> {
            try {
                return get("/health").statusCode();
            } catch (Exception e) {
                return -1;
            }
        }).get()).isEqualTo(200); // the shared gateway is unaffected
    }

    @Test
    void routeReasonsBecomeAsciiHeaders() {
        assertThat(HttpServer.headerSafe("hybrid: complexity 0.71 (long) ≥ 0.50 → cloud first"))
                .isEqualTo("hybrid: complexity 0.71 (long) >= 0.50 -> cloud first");
        assertThat(HttpServer.headerSafe("a\nb é")).isEqualTo("a?b ?");
    }
}
