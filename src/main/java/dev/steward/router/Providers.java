package dev.steward.router;

import dev.steward.config.ProviderConfig;
import java.net.http.HttpClient;
import java.time.Duration;

/** Builds the chat model for one configured provider and model name: the one place that knows which class speaks which wire format. */
final class Providers {
    private Providers() {}

    /**
     * An HTTP client fit for providers: a connect timeout, HTTP/2 where TLS offers it (plain http:// requests are
     * sent as HTTP/1.1 by the models themselves), no redirects (they would carry the API key elsewhere; the error
     * names the new location instead). One client can serve every provider.
     */
    static HttpClient httpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static ChatModel chatModel(ProviderConfig provider, String model, HttpClient http, Duration requestTimeout) {
        return chatModel(provider, model, http, requestTimeout, null);
    }

    /** @param idleTimeout longest silence inside a stream; null for the default (request timeout, at most 30 s) */
    static ChatModel chatModel(ProviderConfig provider, String model, HttpClient http, Duration requestTimeout,
                               Duration idleTimeout) {
        return switch (provider.kind()) {
            case OPENAI, OLLAMA -> new OpenAiModel(provider.name(), ModelDiscovery.chatBaseUrl(provider),
                    provider.apiKey(), model, http, requestTimeout, idleTimeout);
            case ANTHROPIC -> new AnthropicModel(provider.name(), provider.baseUrl(), provider.apiKey(), model, http,
                    requestTimeout, idleTimeout);
        };
    }
}
