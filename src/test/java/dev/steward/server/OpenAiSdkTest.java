package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official OpenAI Java SDK, pointed at Steward's gateway, works as it does against OpenAI. */
class OpenAiSdkTest {
    @TempDir
    static Path home;
    static Gateway gateway;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        gateway = new Gateway(home, null);
        client = OpenAIOkHttpClient.builder()
                .baseUrl(gateway.url("/v1"))
                .apiKey(gateway.key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        gateway.close();
    }

    @Test
    void plainCompletion() {
        gateway.fast.thenStream("Hello", ", world");
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("test/fast")
                .addSystemMessage("Be brief.")
                .addUserMessage("Say hello")
                .temperature(0.2)
                .maxCompletionTokens(50)
                .build());

        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo("test/fast");
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).contains("Hello, world");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(12);
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(2);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(14);

        ChatRequest seen = gateway.fast.lastRequest();
        assertThat(seen.messages()).containsExactly(ChatMessage.system("Be brief."), ChatMessage.user("Say hello"));
        assertThat(seen.temperature()).isEqualTo(0.2);
        assertThat(seen.maxTokens()).isEqualTo(50);
    }

    @Test
    void streamingCompletionAssemblesTextAndReportsUsage() {
        gateway.fast.thenStream("One", " two", " three");
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("test/fast")
                .addUserMessage("Count")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                accumulator.accumulate(chunk);
            });
        }

        List<String> pieces = chunks.stream().flatMap(c -> c.choices().stream())
                .flatMap(c -> c.delta().content().stream()).filter(s -> !s.isEmpty()).toList();
        assertThat(pieces).containsExactly("One", " two", " three");
        ChatCompletion assembled = accumulator.chatCompletion();
        assertThat(assembled.choices().get(0).message().content()).contains("One two three");
        assertThat(assembled.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(chunks.getLast().usage().orElseThrow().completionTokens()).isEqualTo(3);
        assertThat(chunks.getLast().usage().orElseThrow().promptTokens()).isEqualTo(12);
    }

    @Test
    void toolCallRoundTrip() {
        gateway.fast.thenStreamCall("call_42", "get_weather", "{\"city\":\"Paris\",\"unit\":\"c\"}");
        ChatCompletionFunctionTool weather = ChatCompletionFunctionTool.builder()
                .function(FunctionDefinition.builder()
                        .name("get_weather")
                        .description("Current weather in a city")
                        .parameters(FunctionParameters.builder()
                                .putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of(
                                        "city", Map.of("type", "string"), "unit", Map.of("type", "string"))))
                                .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                                .build())
                        .build())
                .build();
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("test/fast")
                .addUserMessage("Weather in Paris?")
                .addTool(weather)
                .build());

        ChatRequest seen = gateway.fast.lastRequest();
        assertThat(seen.tools()).hasSize(1);
        assertThat(seen.tools().get(0).name()).isEqualTo("get_weather");
        assertThat(seen.tools().get(0).description()).isEqualTo("Current weather in a city");
        assertThat(seen.tools().get(0).inputSchema().path("required").get(0).asText()).isEqualTo("city");

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.id()).isEqualTo("call_42");
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(Json.parse(call.function().arguments()).path("city").asText()).isEqualTo("Paris");

        // The caller runs the tool and sends the result back: the assistant turn and the tool message translate.
        gateway.fast.thenStream("It is 18 degrees in Paris.");
        ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("test/fast")
                .addUserMessage("Weather in Paris?")
                .addMessage(choice.message())
                .addMessage(com.openai.models.chat.completions.ChatCompletionToolMessageParam.builder()
                        .toolCallId("call_42").content("{\"temp\":18}").build())
                .addTool(weather)
                .build());
        assertThat(answer.choices().get(0).message().content()).contains("It is 18 degrees in Paris.");
        List<ChatMessage> messages = gateway.fast.lastRequest().messages();
        assertThat(messages.get(1).role()).isEqualTo(ChatMessage.Role.ASSISTANT);
        assertThat(messages.get(1).toolCalls().get(0).arguments().path("city").asText()).isEqualTo("Paris");
        assertThat(messages.get(2).role()).isEqualTo(ChatMessage.Role.TOOL);
        assertThat(messages.get(2).toolCallId()).isEqualTo("call_42");
        assertThat(messages.get(2).name()).isEqualTo("get_weather");
        assertThat(messages.get(2).content()).isEqualTo("{\"temp\":18}");
    }

    @Test
    void streamedToolCallAssembles() {
        gateway.fast.thenStreamCall("call_7", "lookup", "{\"q\":\"steward\"}");
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("test/fast").addUserMessage("look it up").build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        ChatCompletion.Choice choice = accumulator.chatCompletion().choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.id()).isEqualTo("call_7");
        assertThat(call.function().name()).isEqualTo("lookup");
        assertThat(call.function().arguments()).isEqualTo("{\"q\":\"steward\"}");
    }

    @Test
    void listsModels() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).startsWith("steward/auto", "steward/cloud", "steward/hybrid", "steward/local", "steward/offline");
        assertThat(ids).contains("test/fast", "test/slow", "offline/offline");
    }

    @Test
    void unknownModelIsNotFoundWithTheModelsThatExist() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-nonexistent").addUserMessage("hi").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.param()).contains("model");
                    assertThat(e.getMessage()).contains("gpt-nonexistent").contains("test/fast");
                });
    }

    @Test
    void badRequestSurfacesOurMessage() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("test/fast").messages(List.of()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.param()).contains("messages");
                    assertThat(e.getMessage()).contains("messages must contain at least one message");
                });
    }
}
