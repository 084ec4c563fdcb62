package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.Role;
import dev.steward.server.HttpServer;
import dev.steward.store.TestPostgres;
import dev.steward.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * On PostgreSQL the rate limits count across nodes: a limit of N per minute admits N requests (or tool calls) in
 * total, however they are spread over two nodes, and every refusal says which limit and when to retry.
 */
@ExtendWith(TestPostgres.class)
class RateLimitsAcrossNodesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    @Test
    void aUsersRequestLimitIsCountedOnceOverBothNodes(DatabaseConfig postgres) throws Exception {
        try (Steward a = ScaleOutTest.serving(homeA, postgres, "", Map.of());
             Steward b = ScaleOutTest.serving(homeB, postgres, "", Map.of())) {
            a.accounts().addUser("alice", Role.STANDARD, "alice-password-1");
            String key = b.accounts().createKey("alice", "load").secret();
            HttpServer.Options fivePerMinute = new HttpServer.Options("127.0.0.1", 0, 2_000, 5, 0,
                    Duration.ofSeconds(15));
            HttpServer serverA = HttpServer.start(fivePerMinute, a.services(), null);
            HttpServer serverB = HttpServer.start(fivePerMinute, b.services(), null);
            try {
                List<HttpResponse<String>> responses = concurrently(12, i -> HTTP.send(HttpRequest.newBuilder(
                                URI.create((i % 2 == 0 ? serverA : serverB).url() + "/api/auth/me"))
                        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString()));

                assertThat(responses).filteredOn(r -> r.statusCode() == 200).as("five in total, not five a node")
                        .hasSize(5);
                List<HttpResponse<String>> refused = responses.stream().filter(r -> r.statusCode() != 200).toList();
                assertThat(refused).hasSize(7).allSatisfy(r -> {
                    assertThat(r.statusCode()).isEqualTo(429);
                    JsonNode error = Json.parse(r.body()).get("error");
                    assertThat(error.get("code").asText()).isEqualTo("rate_limited");
                    assertThat(error.get("message").asText()).isEqualTo(
                            "too many requests: user alice may make 5 per minute");
                    long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
                    // One of five a minute comes back every 12 s.
                    assertThat(retryAfter).isBetween(1L, 12L);
                    assertThat(error.get("hint").asText()).isEqualTo("wait " + retryAfter
                            + " s (Retry-After) and try again");
                });
            } finally {
                serverA.stop();
                serverB.stop();
            }
        }
    }

    @Test
    void theGatesToolCallLimitIsCountedOnceOverBothNodes(DatabaseConfig postgres) throws Exception {
        String fourPerMinute = "actions:\n  rate_limits:\n    per_minute: 4\n";
        try (Steward a = ScaleOutTest.serving(homeA, postgres, fourPerMinute, Map.of());
             Steward b = ScaleOutTest.serving(homeB, postgres, fourPerMinute, Map.of())) {
            ActionGate onA = a.gate();
            ActionGate onB = b.gate();
            List<ActionGate.Outcome> outcomes = concurrently(10, i -> (i % 2 == 0 ? onA : onB).call("files.list",
                    Json.object(), new ToolContext("bob", null, Role.STANDARD)));

            assertThat(outcomes).filteredOn(ActionGate.Outcome::ok).hasSize(4);
            assertThat(outcomes).filteredOn(o -> !o.ok()).hasSize(6).allSatisfy(o -> assertThat(o.message())
                    .contains("at most 4 general tool calls per minute for user 'bob'")
                    .containsPattern("retry in ([1-9]|1[0-5]) s$"));
            assertThat(onB.call("files.list", Json.object(), new ToolContext("carol", null, Role.STANDARD)).ok())
                    .as("another user has a bucket of their own").isTrue();
        }
    }

    private interface Call<T> {
        T make(int i) throws Exception;
    }

    /** Makes {@code count} calls at once from eight threads; their results in order. */
    private static <T> List<T> concurrently(int count, Call<T> call) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(callers.submit(() -> call.make(n)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            callers.shutdownNow();
        }
    }
}
