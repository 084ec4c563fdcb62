package dev.steward.router;

import static dev.steward.router.OpenAiModelTest.HTTP;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.ModelConfig;
import dev.steward.config.ProviderConfig;
import dev.steward.config.ProviderKind;
import dev.steward.config.RoutingConfig;
import dev.steward.router.fake.FakeAnthropicServer;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provider prompt caching: stable prefixes marked for Anthropic's cache, cached tokens read back from both wire
 * formats, and priced at the provider's cached rates.
 */
class PromptCachingTest {
    static final String SYSTEM = "You are Steward. " + "Follow the house rules. ".repeat(200);
    static FakeAnthropicServer anthropic;
    static FakeOpenAiServer openai;

    @BeforeAll
    static void start() {
        anthropic = FakeAnthropicServer.start();
        openai = FakeOpenAiServer.start();
    }

    @AfterAll
    static void stop() {
        anthropic.close();
        openai.close();
    }

    static AnthropicModel claude() {
        return new AnthropicModel("anthropic", anthropic.baseUrl(), "sk-ant", "claude-test", HTTP, Duration.ofSeconds(5));
    }

    static ChatRequest cachedPrefixThen(String question) {
        return ChatRequest.of(List.of(ChatMessage.system(SYSTEM).asCacheable(),
                ChatMessage.system("Today the user asked: " + question), ChatMessage.user(question)), null);
    }

    @Test
    void aCacheableSystemMessageBecomesASystemBlockWithCacheControl() {
        anthropic.enqueue(FakeReply.text("ok"));

        claude().chat(cachedPrefixThen("first question"));

        JsonNode system = anthropic.lastRequest().body().get("system");
        assertThat(system.isArray()).isTrue();
        assertThat(system.get(0).get("text").asText()).isEqualTo(SYSTEM);
        assertThat(system.get(0).get("cache_control").get("type").asText()).isEqualTo("ephemeral");
        assertThat(system.get(1).get("text").asText()).isEqualTo("Today the user asked: first question");
        assertThat(system.get(1).has("cache_control")).isFalse();
    }

    @Test
    void withoutAMarkTheSystemPromptStaysOneString() {
        anthropic.enqueue(FakeReply.text("ok"));

        claude().chat(ChatRequest.of(List.of(ChatMessage.system("Be brief."), ChatMessage.user("hi")), null));

        assertThat(anthropic.lastRequest().body().get("system").asText()).isEqualTo("Be brief.");
    }

    @Test
    void theFirstCallWritesThePrefixAndTheNextReadsIt() {
        anthropic.enqueue(FakeReply.text("one").usage(30, 2), FakeReply.text("two").usage(31, 2));
        String unique = " (" + System.nanoTime() + ")"; // a prefix no other test has cached

        ChatRequest first = ChatRequest.of(List.of(ChatMessage.system(SYSTEM + unique).asCacheable(),
                ChatMessage.user("first question")), null);
        ChatRequest second = ChatRequest.of(List.of(ChatMessage.system(SYSTEM + unique).asCacheable(),
                ChatMessage.user("another question")), null);
        Usage written = claude().chat(first).usage();
        Usage read = claude().stream(second, c -> {}).usage();

        assertThat(written.cacheWriteTokens()).isGreaterThan(1000);
        assertThat(written.cacheReadTokens()).isZero();
        assertThat(written.inputTokens()).isEqualTo(30 + written.cacheWriteTokens());
        assertThat(read.cacheReadTokens()).isEqualTo(written.cacheWriteTokens());
        assertThat(read.cacheWriteTokens()).isZero();
        assertThat(read.inputTokens()).isEqualTo(31 + read.cacheReadTokens());
    }

    @Test
    void aMarkedMessageMarksItsLastContentBlock() {
        anthropic.enqueue(FakeReply.text("ok"));
        ToolCall call = new ToolCall("t1", "lookup", dev.steward.support.Json.object());

        claude().chat(ChatRequest.of(List.of(ChatMessage.user("look it up"),
                ChatMessage.assistant("Looking.", List.of(call)).asCacheable(),
                ChatMessage.tool(call, "found"), ChatMessage.user("thanks")), null));

        JsonNode assistant = anthropic.lastRequest().body().get("messages").get(1).get("content");
        assertThat(assistant.get(0).has("cache_control")).isFalse();
        assertThat(assistant.get(1).get("type").asText()).isEqualTo("tool_use");
        assertThat(assistant.get(1).get("cache_control").get("type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void onlyTheLastFourMarksAreSentAsAnthropicRefusesMore() {
        anthropic.enqueue(FakeReply.text("ok"));
        List<ChatMessage> conversation = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            conversation.add(ChatMessage.user("turn " + i).asCacheable());
            conversation.add(ChatMessage.assistant("answer " + i));
        }
        conversation.add(ChatMessage.user("last"));

        ChatResponse response = claude().chat(ChatRequest.of(conversation, null));

        assertThat(response.text()).isEqualTo("ok"); // the fake answers 400 to a fifth mark, as Anthropic does
        List<String> marked = new ArrayList<>();
        for (JsonNode message : anthropic.lastRequest().body().get("messages")) {
            for (JsonNode block : message.get("content")) {
                if (block.has("cache_control")) {
                    marked.add(block.get("text").asText());
                }
            }
        }
        assertThat(marked).containsExactly("turn 2", "turn 3", "turn 4", "turn 5");
    }

    @Test
    void openAiCachedTokensAreReadFromWholeAndStreamedAnswers() {
        OpenAiModel gpt = new OpenAiModel("openai", openai.baseUrl(), "sk", "gpt-test", HTTP, Duration.ofSeconds(5));
        openai.enqueue(FakeReply.text("a").usage(2048, 5).cachedTokens(1920),
                FakeReply.text("b").usage(2048, 5).cachedTokens(1024));

        Usage whole = gpt.chat(ChatRequest.of(List.of(ChatMessage.user("hi")), null)).usage();
        Usage streamed = gpt.stream(ChatRequest.of(List.of(ChatMessage.user("hi")), null), c -> {}).usage();

        assertThat(whole).isEqualTo(new Usage(2048, 5, 1920, 0));
        assertThat(streamed).isEqualTo(new Usage(2048, 5, 1024, 0));
        assertThat(whole.uncachedInputTokens()).isEqualTo(128);
    }

    @Test
    void cachedTokensArePricedAtTheCachedRates() {
        Route route = new Route("anthropic", "claude-sonnet-4", Locality.CLOUD, "cloud", 3.0, 15.0, 200_000, null,
                0.30, 3.75);

        // 1,000 uncached at $3, 10,000 read at $0.30, 2,000 written at $3.75, 100 out at $15 (per million)
        long cost = route.costMicros(new Usage(13_000, 100, 10_000, 2_000));

        assertThat(cost).isEqualTo(3_000 + 3_000 + 7_500 + 1_500);
        assertThat(route.costMicros(new Usage(13_000, 100))).isEqualTo(39_000 + 1_500);
    }

    @Test
    void theCatalogKnowsEachProvidersCachedRates() {
        ModelCatalog catalog = new ModelCatalog(List.of(
                new ProviderConfig("anthropic", ProviderKind.ANTHROPIC, "https://api.anthropic.com", "k",
                        List.of(new ModelConfig("claude-sonnet-4", null, 0, 0, 0, null)), null),
                new ProviderConfig("openai", ProviderKind.OPENAI, "https://api.openai.com/v1", "k",
                        List.of(new ModelConfig("gpt-4o-mini", null, 0, 0, 0, null),
                                new ModelConfig("my-finetune", null, 2.0, 4.0, 0, null)), null),
                new ProviderConfig("lab", ProviderKind.OPENAI, "http://10.0.0.5:8000/v1", null,
                        List.of(new ModelConfig("llama", null, 0.5, 0.5, 0, null)), null)),
                RoutingConfig.defaults(), false);

        List<Route> routes = catalog.get();

        assertThat(routes).extracting(Route::id, r -> cents(r.inputPrice()), r -> cents(r.cachedInputPrice()),
                        r -> cents(r.cacheWritePrice()))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("anthropic/claude-sonnet-4", 300.0, 30.0, 375.0),
                        org.assertj.core.groups.Tuple.tuple("openai/gpt-4o-mini", 15.0, 7.5, 15.0),
                        org.assertj.core.groups.Tuple.tuple("openai/my-finetune", 200.0, 100.0, 200.0),
                        org.assertj.core.groups.Tuple.tuple("lab/llama", 50.0, 50.0, 50.0));
    }

    /** Dollars per million tokens as cents, rounded to a thousandth of a cent: prices are products of doubles. */
    private static double cents(double dollars) {
        return Math.round(dollars * 100_000) / 1000.0;
    }
}
