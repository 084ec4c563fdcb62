package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.router.ChatMessage;
import dev.steward.router.Usage;
import dev.steward.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompt caching through the OpenAI-compatible gateway: cache_control marks in, cached-token usage out. */
class GatewayPromptCachingTest {
    @TempDir
    static Path home;
    static Gateway gateway;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        gateway = new Gateway(home, null);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url("/v1/chat/completions")))
                .header("Authorization", "Bearer " + gateway.key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void cacheControlOnAPartOrAMessageMarksThatMessageForTheProvider() throws Exception {
        gateway.fast.thenAnswer("ok");

        HttpResponse<String> response = post("""
                {"model": "test/fast", "messages": [
                  {"role": "system", "content": [
                    {"type": "text", "text": "A long, stable system prompt.", "cache_control": {"type": "ephemeral"}}]},
                  {"role": "user", "content": "earlier", "cache_control": {"type": "ephemeral"}},
                  {"role": "user", "content": "now"}]}""");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(gateway.fast.lastRequest().messages()).extracting(ChatMessage::content, ChatMessage::cacheable)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("A long, stable system prompt.", true),
                        org.assertj.core.groups.Tuple.tuple("earlier", true),
                        org.assertj.core.groups.Tuple.tuple("now", false));
    }

    @Test
    void aCacheControlThatIsNotEphemeralIsRefusedNamingTheField() throws Exception {
        HttpResponse<String> response = post("""
                {"model": "test/fast", "messages": [
                  {"role": "user", "content": [{"type": "text", "text": "hi", "cache_control": {"type": "forever"}}]}]}""");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.parse(response.body()).get("error");
        assertThat(error.get("param").asText()).isEqualTo("messages[0].content[0].cache_control");
        assertThat(error.get("message").asText()).contains("{\"type\": \"ephemeral\"}");
    }

    @Test
    void cachedTokensComeBackInOpenAisUsageShape() throws Exception {
        gateway.fast.thenAnswer("cached", new Usage(5000, 20, 4096, 0));

        JsonNode usage = Json.parse(post(GatewayHttpTest.chat("test/fast", "read from the cache")).body()).get("usage");

        assertThat(usage).isEqualTo(Json.parse("""
                {"prompt_tokens": 5000, "completion_tokens": 20, "total_tokens": 5020,
                 "prompt_tokens_details": {"cached_tokens": 4096}}"""));
    }

    @Test
    void anthropicCacheWritesArePassedOnToo() throws Exception {
        gateway.fast.thenAnswer("written", new Usage(5000, 20, 0, 4096));

        JsonNode usage = Json.parse(post(GatewayHttpTest.chat("test/fast", "written to the cache")).body()).get("usage");

        assertThat(usage.get("prompt_tokens_details").get("cached_tokens").asLong()).isZero();
        assertThat(usage.get("cache_creation_input_tokens").asLong()).isEqualTo(4096);
    }
}
