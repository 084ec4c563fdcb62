package dev.steward.integrations.payments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ToolException;
import dev.steward.config.ConnectionsConfig;
import dev.steward.support.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Stripe's wire format: form-encoded POSTs with a Bearer key and an Idempotency-Key, JSON answers, errors as
 * {@code {"error": {"type", "code", "message"}}}. Every failure becomes a ToolException naming the connection and the fix.
 */
final class StripeClient {
    private final ConnectionsConfig.Payments config;
    private final OkHttpClient http;

    StripeClient(ConnectionsConfig.Payments config) {
        this.config = config;
        this.http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(30))
                .followRedirects(false).build();
    }

    /** POSTs form fields (kept in order) with an idempotency key; the answer's JSON. */
    JsonNode post(String path, Map<String, String> form, String idempotencyKey) {
        FormBody.Builder body = new FormBody.Builder();
        form.forEach(body::add);
        Request request = new Request.Builder().url(config.baseUrl() + path).post(body.build())
                .header("Authorization", "Bearer " + config.apiKey())
                .header("Idempotency-Key", idempotencyKey)
                .build();
        return send(request);
    }

    JsonNode get(String path) {
        return send(new Request.Builder().url(config.baseUrl() + path)
                .header("Authorization", "Bearer " + config.apiKey()).get().build());
    }

    private JsonNode send(Request request) {
        try (Response response = http.newCall(request).execute()) {
            String text = response.body().string();
            JsonNode json = parse(text);
            if (response.isSuccessful()) {
                return json;
            }
            throw failure(response.code(), json.path("error"));
        } catch (IOException e) {
            throw new ToolException("payments: cannot reach " + config.baseUrl() + " (" + e.getMessage()
                    + ") — check connections.payments.base_url and that the provider is up; nothing was charged");
        }
    }

    private static JsonNode parse(String text) {
        try {
            return Json.parse(text);
        } catch (RuntimeException e) {
            return Json.object();
        }
    }

    private static ToolException failure(int status, JsonNode error) {
        String message = error.path("message").asText("no message");
        String code = error.path("code").asText(error.path("decline_code").asText(""));
        String type = error.path("type").asText("api_error");
        String fix = switch (status) {
            case 401 -> "check connections.payments.api_key (store the right key with 'steward secrets set STRIPE_KEY')";
            case 402 -> "the provider declined it; use another payment method or amount";
            case 403 -> "the key lacks the permission for this; use a key with write access to payments";
            case 409 -> "an earlier request with the same idempotency key is still running or differed; wait and retry";
            case 429 -> "too many requests; wait a minute and retry";
            default -> status >= 500 ? "the provider failed; retry later (the idempotency key keeps it from paying twice)"
                    : "correct the request as the message says";
        };
        return new ToolException("payments: the provider refused it (" + status + " " + type
                + (code.isEmpty() ? "" : ", " + code) + "): " + message + " — " + fix);
    }

    /** Form fields in the order they are written. */
    static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                form.put(pairs[i], pairs[i + 1]);
            }
        }
        return form;
    }
}
