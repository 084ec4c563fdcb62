package dev.steward.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /hooks/NAME on a real server, signed as a sender signs it: each answer the docs promise. */
class WebhookHttpTest {
    @TempDir
    static Path home;
    static UiServer server;
    static String secret;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = new UiServer(home);
        secret = server.automation.hooks().add("alerts", "Look into the alert {{payload.alert.name}}", null, "local");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private HttpResponse<String> post(String hook, String body, String signatureHeader, String signature,
                                      String delivery) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "hooks/" + hook))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header(signatureHeader, signature);
        }
        if (delivery != null) {
            request.header("X-Steward-Delivery", delivery);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSignedDeliveryStartsATaskAndEveryRefusalHasItsStatusAndHint() throws Exception {
        String body = "{\"alert\":{\"name\":\"disk full\"}}";
        var accepted = post("alerts", body, "X-Steward-Signature", sign(secret, body), "1");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String taskId = Json.parse(accepted.body()).path("task_id").asText();
        assertThat(server.tasks.find(taskId)).hasValueSatisfying(t -> {
            assertThat(t.source()).isEqualTo("webhook:alerts");
            assertThat(t.input()).startsWith("Look into the alert disk full");
        });

        var replay = post("alerts", body, "X-Steward-Signature", sign(secret, body), "1");
        assertThat(replay.statusCode()).isEqualTo(409);
        assertThat(Json.parse(replay.body()).path("error").path("code").asText()).isEqualTo("conflict");
        assertThat(Json.parse(replay.body()).path("error").path("message").asText()).contains("already received");

        var unsigned = post("alerts", body, "X-Steward-Signature", null, "2");
        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(Json.parse(unsigned.body()).path("error").path("hint").asText()).contains("HMAC-SHA256");
        assertThat(post("alerts", body, "X-Steward-Signature", sign("guess", body), "3").statusCode()).isEqualTo(401);
        assertThat(post("nothing", body, "X-Steward-Signature", sign(secret, body), "4").statusCode()).isEqualTo(404);
        assertThat(post("alerts", "[oops", "X-Steward-Signature", sign(secret, "[oops"), "5").statusCode())
                .isEqualTo(400);
        assertThat(post("alerts", body, "X-Hub-Signature-256", sign(secret, body), "6").statusCode()).isEqualTo(202);
        String big = "{\"alert\":{\"name\":\"" + "x".repeat(1_100_000) + "\"}}";
        assertThat(post("alerts", big, "X-Steward-Signature", sign(secret, big), "7").statusCode()).isEqualTo(413);
    }
}
