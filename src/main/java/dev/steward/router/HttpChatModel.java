package dev.steward.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** What the HTTP providers share: the API key, the endpoint, and posting a JSON body to the chat path. */
abstract class HttpChatModel implements ChatModel {
    /** Null when none is configured (blank counts as none). */
    final String apiKey;
    final ProviderHttp http;
    private final String chatPath;

    HttpChatModel(String providerName, String baseUrl, String apiKey, String model, OkHttpClient http,
                  Duration requestTimeout, Duration idleTimeout, String chatPath) {
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.http = new ProviderHttp(providerName, model, baseUrl, this.apiKey != null, http, requestTimeout,
                idleTimeout);
        this.chatPath = chatPath;
    }

    @Override
    public String name() {
        return http.model;
    }

    @Override
    public String provider() {
        return http.provider;
    }

    /** The provider's own headers (API key, version), added after Content-Type and Accept. */
    abstract void authHeaders(Map<String, String> headers);

    Request post(ObjectNode body, String accept) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", accept);
        authHeaders(headers);
        return http.request(chatPath, headers).post(ProviderHttp.json(body)).build();
    }
}
