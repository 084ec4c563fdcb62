package dev.steward.router;

import dev.steward.config.ProviderConfig;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;

/**
 * The model of a provider that names none: it asks the provider which model it serves at the first call (and again
 * after a failure, so a server started later is found), then speaks to that model. Start-up never waits on it.
 */
final class DiscoveringModel implements ChatModel {
    static final String UNKNOWN = "default";

    private final ProviderConfig provider;
    private final OkHttpClient http;
    private final Duration discoveryTimeout;
    private final Duration requestTimeout;
    private volatile ChatModel delegate;

    DiscoveringModel(ProviderConfig provider, OkHttpClient http, Duration discoveryTimeout, Duration requestTimeout) {
        this.provider = provider;
        this.http = http;
        this.discoveryTimeout = discoveryTimeout;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public String name() {
        ChatModel known = delegate;
        return known == null ? UNKNOWN : known.name();
    }

    @Override
    public String provider() {
        return provider.name();
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return model().chat(request);
    }

    @Override
    public ChatResponse stream(ChatRequest request, Consumer<ChatChunk> onChunk) {
        return model().stream(request, onChunk);
    }

    private ChatModel model() {
        ChatModel known = delegate;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (delegate == null) {
                List<String> chat = ModelDiscovery.chatModels(new ModelDiscovery(http, discoveryTimeout).models(provider));
                if (chat.isEmpty()) {
                    throw new ModelException(ModelException.Kind.NOT_FOUND, provider.name() + " (from "
                            + provider.source() + ") lists no chat model; name one under providers[].models in steward.yaml");
                }
                delegate = Providers.chatModel(provider, chat.get(0), http, requestTimeout);
            }
            return delegate;
        }
    }
}
