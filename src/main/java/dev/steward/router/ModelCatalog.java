package dev.steward.router;

import dev.steward.config.ModelConfig;
import dev.steward.config.ProviderConfig;
import dev.steward.config.ProviderKind;
import dev.steward.config.RoutingConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import okhttp3.OkHttpClient;
/**
 * The models Steward can route to, built from the configured providers: each configured model; for a cloud provider
 * that names none, its usual default; for a local server that names none, whichever model it serves (asked at the
 * first call); plus Ollama on localhost:11434 when it is running.
 * Prices not in the configuration come from a small table of well-known cloud models; unknown ones are free.
 */
public final class ModelCatalog implements Supplier<List<Route>> {
    static final int LOCAL_OLLAMA_PORT = 11434;
    static final String LOCAL_OLLAMA = "http://127.0.0.1:" + LOCAL_OLLAMA_PORT;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration DISCOVERY_TIMEOUT = Duration.ofSeconds(3);

    /**
     * Well-known cloud models: dollars per million tokens in and out, and context length; {@code cachedInput}, what
     * input read from the prompt cache costs (OpenAI's published cached-input prices; Anthropic's are derived below).
     */
    private record Known(String prefix, double input, double output, int context, double cachedInput) {
        Known(String prefix, double input, double output, int context) {
            this(prefix, input, output, context, Double.NaN);
        }
    }

    private static final List<Known> KNOWN = List.of(
            new Known("gpt-4o-mini", 0.15, 0.60, 128_000, 0.075),
            new Known("gpt-4o", 2.50, 10.00, 128_000, 1.25),
            new Known("gpt-4.1-nano", 0.10, 0.40, 1_047_576, 0.025),
            new Known("gpt-4.1-mini", 0.40, 1.60, 1_047_576, 0.10),
            new Known("gpt-4.1", 2.00, 8.00, 1_047_576, 0.50),
            new Known("claude-3-5-haiku", 0.80, 4.00, 200_000),
            new Known("claude-haiku", 1.00, 5.00, 200_000),
            new Known("claude-3-7-sonnet", 3.00, 15.00, 200_000),
            new Known("claude-sonnet", 3.00, 15.00, 200_000),
            new Known("claude-opus", 15.00, 75.00, 200_000));
    /** Anthropic bills a cache read at a tenth of the input price and a (five-minute) cache write at 1.25 times it. */
    static final double ANTHROPIC_CACHE_READ = 0.10;
    static final double ANTHROPIC_CACHE_WRITE = 1.25;
    /** OpenAI caches prompts by itself (nothing to write) and bills a cached token at half price or less. */
    static final double OPENAI_CACHE_READ = 0.50;
    /** The model used when a cloud provider is keyed but names no model. */
    private static final Map<ProviderKind, String> CLOUD_DEFAULTS = Map.of(
            ProviderKind.OPENAI, "gpt-4o-mini", ProviderKind.ANTHROPIC, "claude-3-5-haiku-latest");

    private final List<ProviderConfig> providers;
    private final RoutingConfig routing;
    private final boolean discoverLocalOllama;
    private volatile OkHttpClient http;

    /** @param discoverLocalOllama also look for Ollama on localhost:11434 when no Ollama provider is configured */
    public ModelCatalog(List<ProviderConfig> providers, RoutingConfig routing, boolean discoverLocalOllama) {
        this.providers = List.copyOf(providers);
        this.routing = routing;
        this.discoverLocalOllama = discoverLocalOllama;
    }

    @Override
    public List<Route> get() {
        List<Route> routes = new ArrayList<>();
        for (ProviderConfig provider : allProviders()) {
            routes.addAll(routes(provider));
        }
        return routes;
    }

    /** A quick look at every provider: reachable, how fast, which models. */
    public List<ProviderProbe> probe() {
        ModelDiscovery discovery = new ModelDiscovery(http(), DISCOVERY_TIMEOUT);
        return allProviders().parallelStream().map(discovery::probe).toList();
    }

    private List<ProviderConfig> allProviders() {
        List<ProviderConfig> all = new ArrayList<>(providers);
        if (discoverLocalOllama && providers.stream().noneMatch(p -> p.kind() == ProviderKind.OLLAMA)) {
            ProviderConfig local = new ProviderConfig("ollama", ProviderKind.OLLAMA, LOCAL_OLLAMA, null, List.of(),
                    "discovered on localhost:11434");
            // A bare connect first: when nothing listens (the usual case) no HTTP client is built at start-up.
            if (listening(LOCAL_OLLAMA_PORT) && new ModelDiscovery(http(), Duration.ofMillis(500)).probe(local).ok()) {
                all.add(local);
            }
        }
        return all;
    }

    private List<Route> routes(ProviderConfig provider) {
        Locality where = locality(provider);
        Duration timeout = Duration.ofSeconds(where == Locality.CLOUD ? routing.cloudTimeoutSeconds() : routing.localTimeoutSeconds());
        List<ModelConfig> models = provider.models();
        if (models.isEmpty()) {
            String cloudDefault = CLOUD_DEFAULTS.get(provider.kind());
            if (where != Locality.CLOUD || cloudDefault == null) {
                // Which model a local server runs is only known by asking it; that waits for the first call.
                return List.of(new Route(provider.name(), DiscoveringModel.UNKNOWN, where, where.id(), 0, 0, 0,
                        new DiscoveringModel(provider, http(), DISCOVERY_TIMEOUT, timeout)));
            }
            models = List.of(new ModelConfig(cloudDefault, null, 0, 0, 0, null));
        }
        List<Route> routes = new ArrayList<>();
        for (ModelConfig model : models) {
            Locality locality = model.tier().toLowerCase(Locale.ROOT).startsWith("local") ? Locality.LOCAL
                    : model.tier().toLowerCase(Locale.ROOT).startsWith("cloud") ? Locality.CLOUD : where;
            String tier = model.tier().isEmpty() ? locality.id() : model.tier();
            Optional<Known> known = locality == Locality.CLOUD ? known(model.name()) : Optional.empty();
            boolean unpriced = model.inputPricePerMillion() == 0 && model.outputPricePerMillion() == 0;
            double input = unpriced ? known.map(Known::input).orElse(0.0) : model.inputPricePerMillion();
            double output = unpriced ? known.map(Known::output).orElse(0.0) : model.outputPricePerMillion();
            int context = model.contextLength() > 0 ? model.contextLength() : known.map(Known::context).orElse(0);
            double cachedInput = unpriced && known.isPresent() && !Double.isNaN(known.get().cachedInput())
                    ? known.get().cachedInput() : input * cacheReadShare(provider.kind(), locality);
            double cacheWrite = provider.kind() == ProviderKind.ANTHROPIC ? input * ANTHROPIC_CACHE_WRITE : input;
            routes.add(new Route(provider.name(), model.name(), locality, tier, input, output, context,
                    Providers.chatModel(provider, model.name(), http(), timeout), cachedInput, cacheWrite));
        }
        return routes;
    }

    /** What share of the input price a token read from the prompt cache costs, when no price table says. */
    static double cacheReadShare(ProviderKind kind, Locality locality) {
        return switch (kind) {
            case ANTHROPIC -> ANTHROPIC_CACHE_READ;
            case OPENAI -> locality == Locality.CLOUD ? OPENAI_CACHE_READ : 1.0;
            case OLLAMA -> 1.0;
        };
    }

    /** One HTTP client for every provider, built when the first one needs it. */
    private OkHttpClient http() {
        OkHttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = Providers.httpClient(CONNECT_TIMEOUT);
                }
                client = http;
            }
        }
        return client;
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Known> known(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        return KNOWN.stream().filter(k -> name.startsWith(k.prefix())).findFirst();
    }

    /** Ollama and servers on this machine or a private network are local; everything else is cloud. */
    static Locality locality(ProviderConfig provider) {
        if (provider.kind() == ProviderKind.OLLAMA) {
            return Locality.LOCAL;
        }
        if (provider.kind() == ProviderKind.ANTHROPIC) {
            return Locality.CLOUD;
        }
        String host = URI.create(provider.baseUrl()).getHost();
        if (host == null) {
            return Locality.CLOUD;
        }
        if (host.equals("localhost") || host.endsWith(".local") || host.endsWith(".internal") || !host.contains(".")) {
            return Locality.LOCAL;
        }
        try {
            if (host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
                InetAddress address = InetAddress.getByName(host);
                return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        ? Locality.LOCAL : Locality.CLOUD;
            }
        } catch (UnknownHostException e) {
            return Locality.CLOUD;
        }
        return Locality.CLOUD;
    }
}
