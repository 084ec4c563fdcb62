package dev.steward.router;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.ProviderConfig;
import dev.steward.config.ProviderKind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;

/**
 * Lists the models a provider serves, for providers configured without any (only OPENAI_BASE_URL is set, or
 * OLLAMA_HOST), and probes providers for {@code steward models} and {@code steward doctor}:
 * OpenAI-compatible {@code GET {base}/models} ({@code data[].id}), Ollama {@code GET {base}/api/tags}
 * ({@code models[].name}), Anthropic {@code GET {base}/v1/models} ({@code data[].id}, paged).
 */
final class ModelDiscovery {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    private static final int MAX_PAGES = 10;
    /** Names that are plainly not chat models: embeddings, speech, images, moderation, legacy completions. */
    private static final Pattern NOT_CHAT = Pattern.compile(
            ".*(embed|whisper|tts|dall-e|davinci|babbage|moderation|transcribe|image|rerank|realtime|audio|search).*");

    private final OkHttpClient http;
    private final Duration timeout;

    ModelDiscovery(OkHttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    ModelDiscovery(OkHttpClient http) {
        this(http, DEFAULT_TIMEOUT);
    }

    /** The model names the provider lists, in its order; throws {@link ModelException} if it cannot say. */
    List<String> models(ProviderConfig provider) {
        return switch (provider.kind()) {
            case OPENAI -> openAi(provider);
            case OLLAMA -> ollama(provider);
            case ANTHROPIC -> anthropic(provider);
        };
    }

    /** A quick look at the provider; never throws. */
    ProviderProbe probe(ProviderConfig provider) {
        long started = System.nanoTime();
        try {
            List<String> models = models(provider);
            return new ProviderProbe(provider.name(), provider.baseUrl(), true, since(started), models, null, null);
        } catch (ModelException e) {
            // It answered, if only to refuse or with garbage: reachable, but not usable.
            boolean answered = e.status() != 0 || e.kind() == ModelException.Kind.MALFORMED;
            return new ProviderProbe(provider.name(), provider.baseUrl(), answered, answered ? since(started) : null,
                    List.of(), e.getMessage(), e.kind());
        }
    }

    /** Those of {@code ids} that may be chat models, for picking one when none is configured. */
    static List<String> chatModels(List<String> ids) {
        return ids.stream().filter(id -> !NOT_CHAT.matcher(id.toLowerCase(Locale.ROOT)).matches()).toList();
    }

    /** Where a provider's chat completions live: Ollama's OpenAI-compatible API is under {@code /v1}. */
    static String chatBaseUrl(ProviderConfig provider) {
        String base = ProviderHttp.stripSlash(provider.baseUrl());
        if (provider.kind() == ProviderKind.OLLAMA && !base.endsWith("/v1")) {
            return base + "/v1";
        }
        return base;
    }

    private List<String> openAi(ProviderConfig provider) {
        ProviderHttp endpoint = endpoint(provider, provider.baseUrl());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (provider.apiKey() != null && !provider.apiKey().isBlank()) {
            headers.put("Authorization", "Bearer " + provider.apiKey().strip());
        }
        JsonNode body = get(endpoint, "/models", headers);
        return ids(endpoint, body, "data", "id");
    }

    private List<String> ollama(ProviderConfig provider) {
        String base = ProviderHttp.stripSlash(provider.baseUrl());
        if (base.endsWith("/v1")) {
            base = base.substring(0, base.length() - 3);
        }
        ProviderHttp endpoint = endpoint(provider, base);
        JsonNode body = get(endpoint, "/api/tags", Map.of("Accept", "application/json"));
        return ids(endpoint, body, "models", "name");
    }

    private List<String> anthropic(ProviderConfig provider) {
        ProviderHttp endpoint = endpoint(provider, provider.baseUrl());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("anthropic-version", AnthropicModel.VERSION);
        if (provider.apiKey() != null && !provider.apiKey().isBlank()) {
            headers.put("x-api-key", provider.apiKey().strip());
        }
        List<String> all = new ArrayList<>();
        String after = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String query = "?limit=1000" + (after == null ? "" : "&after_id=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
            JsonNode body = get(endpoint, "/v1/models" + query, headers);
            all.addAll(ids(endpoint, body, "data", "id"));
            after = body.path("last_id").asText(null);
            if (!body.path("has_more").asBoolean(false) || after == null) {
                break;
            }
        }
        return all;
    }

    private ProviderHttp endpoint(ProviderConfig provider, String base) {
        return new ProviderHttp(provider.name(), null, base,
                provider.apiKey() != null && !provider.apiKey().isBlank(), http, timeout, timeout);
    }

    private static JsonNode get(ProviderHttp endpoint, String path, Map<String, String> headers) {
        ProviderHttp.Reply reply = endpoint.send(endpoint.request(path, headers).get().build());
        return endpoint.parseJson(endpoint.readBody(reply), "the model list");
    }

    private static List<String> ids(ProviderHttp endpoint, JsonNode body, String array, String field) {
        JsonNode items = body.path(array);
        if (!items.isArray()) {
            throw endpoint.malformed("the model list has no '" + array + "' array", body.toString(), null);
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode item : items) {
            String id = item.path(field).asText("");
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
