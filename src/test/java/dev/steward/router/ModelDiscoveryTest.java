package dev.steward.router;

import static dev.steward.router.OpenAiModelTest.HTTP;
import static dev.steward.router.OpenAiModelTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.ProviderConfig;
import dev.steward.config.ProviderKind;
import dev.steward.router.ModelException.Kind;
import dev.steward.router.fake.FakeAnthropicServer;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelDiscoveryTest {
    final ModelDiscovery discovery = new ModelDiscovery(HTTP, Duration.ofMillis(800));

    static ProviderConfig provider(String name, ProviderKind kind, String baseUrl, String apiKey) {
        return new ProviderConfig(name, kind, baseUrl, apiKey, List.of(), "test");
    }

    @Test
    void openAiCompatibleListsDataIds() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.models("Qwen/Qwen2.5-7B-Instruct", "text-embedding-3-small").requireApiKey("sk-1");
            List<String> models = discovery.models(provider("vllm", ProviderKind.OPENAI, server.baseUrl(), "sk-1"));
            assertThat(models).containsExactly("Qwen/Qwen2.5-7B-Instruct", "text-embedding-3-small");
            assertThat(server.lastRequest().method()).isEqualTo("GET");
            assertThat(server.lastRequest().path()).isEqualTo("/v1/models");
            assertThat(server.lastRequest().header("Authorization")).isEqualTo("Bearer sk-1");
        }
    }

    @Test
    void ollamaListsTagNames() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start(FakeOpenAiServer.Flavour.OLLAMA)) {
            server.models("llama3.2:latest", "nomic-embed-text:latest");
            assertThat(discovery.models(provider("ollama", ProviderKind.OLLAMA, server.baseUrl(), null)))
                    .containsExactly("llama3.2:latest", "nomic-embed-text:latest");
            assertThat(server.lastRequest().path()).isEqualTo("/api/tags");
            // configured with /v1, as for its OpenAI-compatible API: the tags still come from /api/tags
            assertThat(discovery.models(provider("ollama", ProviderKind.OLLAMA, server.baseUrl() + "/v1/", null)))
                    .hasSize(2);
            assertThat(server.lastRequest().path()).isEqualTo("/api/tags");
        }
    }

    @Test
    void anthropicListsAllPages() {
        try (FakeAnthropicServer server = FakeAnthropicServer.start()) {
            server.models("claude-a", "claude-b", "claude-c", "claude-d", "claude-e").pageSize(2).requireApiKey("sk-ant");
            List<String> models = discovery.models(provider("anthropic", ProviderKind.ANTHROPIC, server.baseUrl(), "sk-ant"));
            assertThat(models).containsExactly("claude-a", "claude-b", "claude-c", "claude-d", "claude-e");
            assertThat(server.requests()).hasSize(3);
            assertThat(server.requests().get(0).path()).isEqualTo("/v1/models?limit=1000");
            assertThat(server.requests().get(1).path()).isEqualTo("/v1/models?limit=1000&after_id=claude-b");
            assertThat(server.lastRequest().header("x-api-key")).isEqualTo("sk-ant");
            assertThat(server.lastRequest().header("anthropic-version")).isEqualTo("2023-06-01");
        }
    }

    @Test
    void probeOfAHealthyProvider() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            ProviderProbe probe = discovery.probe(provider("lmstudio", ProviderKind.OPENAI, server.baseUrl(), null));
            assertThat(probe.ok()).isTrue();
            assertThat(probe.reachable()).isTrue();
            assertThat(probe.provider()).isEqualTo("lmstudio");
            assertThat(probe.modelCount()).isEqualTo(2);
            assertThat(probe.latency()).isPositive().isLessThan(Duration.ofSeconds(2));
            assertThat(probe.error()).isNull();
        }
    }

    @Test
    void probeOfAProviderThatRefusesTheKey() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.requireApiKey("right");
            ProviderProbe probe = discovery.probe(provider("openai", ProviderKind.OPENAI, server.baseUrl(), "wrong"));
            assertThat(probe.reachable()).isTrue();
            assertThat(probe.ok()).isFalse();
            assertThat(probe.kind()).isEqualTo(Kind.AUTH);
            assertThat(probe.error()).contains("openai", "check the API key");
        }
    }

    @Test
    void probeOfNothingListening() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProviderProbe probe = discovery.probe(provider("ollama", ProviderKind.OLLAMA, "http://127.0.0.1:" + port, null));
        assertThat(probe.reachable()).isFalse();
        assertThat(probe.latency()).isNull();
        assertThat(probe.kind()).isEqualTo(Kind.CONNECT);
        assertThat(probe.error()).contains("ollama", "cannot connect", "127.0.0.1:" + port);
    }

    @Test
    void wrongBaseUrlIsNotFound() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            ModelException e = failure(() -> discovery.models(provider("vllm", ProviderKind.OPENAI, server.rootUrl(), null)));
            assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
            assertThat(e.getMessage()).contains("vllm", "check the base URL");
        }
    }

    @Test
    void chatModelsLeavesOutEmbeddingsSpeechAndImages() {
        assertThat(ModelDiscovery.chatModels(List.of("gpt-4o-mini", "text-embedding-3-small", "whisper-1", "tts-1",
                "dall-e-3", "llama3.2:latest", "nomic-embed-text:latest", "omni-moderation-latest", "gpt-image-1")))
                .containsExactly("gpt-4o-mini", "llama3.2:latest");
    }

    @Test
    void providersBuildTheRightModelForEachKind() {
        try (FakeOpenAiServer ollama = FakeOpenAiServer.start(FakeOpenAiServer.Flavour.OLLAMA);
             FakeAnthropicServer anthropic = FakeAnthropicServer.start()) {
            ollama.enqueue(FakeReply.text("from ollama"));
            anthropic.enqueue(FakeReply.text("from claude"));
            ChatModel local = Providers.chatModel(provider("ollama", ProviderKind.OLLAMA, ollama.baseUrl(), null),
                    "llama3.2", HTTP, Duration.ofSeconds(2));
            ChatModel cloud = Providers.chatModel(provider("anthropic", ProviderKind.ANTHROPIC, anthropic.baseUrl(), "k"),
                    "claude-test", HTTP, Duration.ofSeconds(2));
            ChatRequest hi = ChatRequest.of(List.of(ChatMessage.user("hi")), null);

            assertThat(local.stream(hi, c -> {}).text()).isEqualTo("from ollama");
            assertThat(ollama.lastRequest().path()).isEqualTo("/v1/chat/completions");
            assertThat(local.provider()).isEqualTo("ollama");
            assertThat(local.name()).isEqualTo("llama3.2");
            assertThat(cloud.chat(hi).text()).isEqualTo("from claude");
            assertThat(cloud).isInstanceOf(AnthropicModel.class);
        }
    }
}
