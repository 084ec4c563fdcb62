package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Requests to a test server over real HTTP, as one caller: with an API key, a session's cookies, or nothing. */
final class Client {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Gateway server;
    private final Map<String, String> headers = new LinkedHashMap<>();

    private Client(Gateway server) {
        this.server = server;
    }

    static Client anonymous(Gateway server) {
        return new Client(server);
    }

    static Client withKey(Gateway server, String key) {
        return new Client(server).header("Authorization", "Bearer " + key);
    }

    Client header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** A response with its body parsed when it is JSON. */
    record Response(int status, HttpResponse<String> raw) {
        JsonNode json() {
            return Json.parse(raw.body());
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String body) {
        return send("POST", path, body);
    }

    Response send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .timeout(Duration.ofSeconds(30))
                // As curl does for a large body: the server may refuse it before it is sent, instead of closing the
                // connection under a client still writing it.
                .expectContinue(body != null && body.length() > 65_536)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
