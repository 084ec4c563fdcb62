package dev.steward.router;

import dev.steward.config.ProviderConfig;
import java.time.Duration;
import okhttp3.OkHttpClient;

/** Builds the chat model for one configured provider and model name: the one place that knows which class speaks which wire format. */
final class Providers {
    private Providers() {}

    /** Idle connections kept per client: enough for every connection a busy gateway holds to its upstreams. */
    private static final int MAX_IDLE_CONNECTIONS = 256;
    /** How long an idle connection is kept, as the JDK's client did. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    /**
     * An HTTP client fit for providers: a connect timeout, HTTP/2 where TLS offers it (plain http:// is HTTP/1.1,
     * with no h2c upgrade), no redirects (they would carry the API key elsewhere; the error names the new location
     * instead), and no retries of its own: a failed call is the router's to retry, except one sent on a pooled
     * connection the server had already closed ({@link ProviderHttp}). Read and write timeouts are off because
     * {@link ProviderHttp} times each call itself (request timeout, then idle timeout). One client can serve every
     * provider. Its pool's clean-up thread is not woken per call ({@link ProviderConnectionPool}).
     */
    static OkHttpClient httpClient(Duration connectTimeout) {
        return new OkHttpClient.Builder()
                .connectTimeout(connectTimeout)
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .connectionPool(ProviderConnectionPool.create(MAX_IDLE_CONNECTIONS, KEEP_ALIVE))
                .socketFactory(new InterruptibleSockets())
                .eventListenerFactory(CallTrace.FACTORY)
                .build();
    }

    static ChatModel chatModel(ProviderConfig provider, String model, OkHttpClient http, Duration requestTimeout) {
        return chatModel(provider, model, http, requestTimeout, null);
    }

    /** @param idleTimeout longest silence inside a stream; null for the default (request timeout, at most 30 s) */
    static ChatModel chatModel(ProviderConfig provider, String model, OkHttpClient http, Duration requestTimeout,
                               Duration idleTimeout) {
        return switch (provider.kind()) {
            case OPENAI, OLLAMA -> new OpenAiModel(provider.name(), ModelDiscovery.chatBaseUrl(provider),
                    provider.apiKey(), model, http, requestTimeout, idleTimeout);
            case ANTHROPIC -> new AnthropicModel(provider.name(), provider.baseUrl(), provider.apiKey(), model, http,
                    requestTimeout, idleTimeout);
        };
    }
}
