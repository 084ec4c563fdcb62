package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.agent.AskRequest;
import dev.steward.agent.Task;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskListener;
import dev.steward.cluster.Node;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarts ({@code pg_ctl stop -m fast}, three seconds down, start) while a node serves chat requests:
 * the requests that meet the outage fail with a 503 that says what to do (no stack trace), the node reconnects by
 * itself and serves again, no task is recorded twice, and the background loops of both nodes (heartbeats and leases,
 * the memory feed, the event relay) carry on.
 */
@ExtendWith(TestPostgres.class)
class PostgresRestartTest {
    private static final String OFFLINE = "routing:\n  mode: offline\n";

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    /** One chat request as the client saw it. */
    record Reply(int n, long sentAt, int status, String retryAfter, JsonNode body) {}

    @Test
    void requestsMeetingTheRestartFailClearlyAndTheNodesRecoverByThemselves(DatabaseConfig postgres,
                                                                             TestPostgres.Server server) throws Exception {
        try (Steward a = ScaleOutTest.serving(homeA, postgres, OFFLINE, Map.of());
             Steward b = ScaleOutTest.serving(homeB, postgres, OFFLINE, Map.of())) {
            a.accounts().addUser("alice", Role.STANDARD, "alice-password-1");
            String key = a.accounts().createKey("alice", "load").secret();
            HttpServer http = HttpServer.start(new HttpServer.Options("127.0.0.1", 0, 2_000, 100_000, 100_000,
                    Duration.ofSeconds(15)), a.services(), null);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<Reply> replies = new CopyOnWriteArrayList<>();
            AtomicBoolean loading = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            try {
                for (int c = 0; c < 4; c++) {
                    clients.add(Thread.ofPlatform().start(() -> {
                        while (loading.get()) {
                            int n = sent.incrementAndGet();
                            long at = System.currentTimeMillis();
                            try {
                                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                                URI.create(http.url() + "/api/chat"))
                                        .timeout(Duration.ofSeconds(60))
                                        .header("Authorization", "Bearer " + key)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"message\": \"what is the status of request " + n + "?\"}"))
                                        .build(), HttpResponse.BodyHandlers.ofString());
                                replies.add(new Reply(n, at, response.statusCode(),
                                        response.headers().firstValue("Retry-After").orElse(null),
                                        Json.parse(response.body())));
                            } catch (Exception e) {
                                replies.add(new Reply(n, at, -1, null, Json.object().put("exception", e.toString())));
                            }
                        }
                    }));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> replies.stream().filter(r -> r.status() == 200)
                        .count() >= 5);

                server.restart(Duration.ofSeconds(3));
                long up = System.currentTimeMillis();

                await().atMost(Duration.ofSeconds(60)).until(() -> replies.stream()
                        .anyMatch(r -> r.status() == 200 && r.sentAt() > up));
                Thread.sleep(2_000);
            } finally {
                loading.set(false);
                for (Thread c : clients) {
                    c.join(90_000);
                }
                http.stop();
            }

            assertThat(replies).as("each request either served or refused with a 503 naming the fix")
                    .allSatisfy(r -> assertThat(r.status()).as("%s", r).isIn(200, 503));
            List<Reply> refused = replies.stream().filter(r -> r.status() == 503).toList();
            assertThat(refused).as("the restart was met by requests").isNotEmpty().allSatisfy(r -> {
                assertThat(r.body().path("error").path("code").asText()).isEqualTo("unavailable");
                assertThat(r.body().path("error").path("message").asText()).startsWith("the database cannot be reached");
                assertThat(r.body().path("error").path("hint").asText()).contains("again in a few seconds");
                assertThat(r.retryAfter()).isEqualTo("5");
                assertThat(r.body().toString()).doesNotContain("\\tat ", "Exception:");
            });

            // Nothing recorded twice: each question is one task; each answered request's task is there.
            List<Task> tasks = a.tasks().list(10_000, null);
            Map<String, Long> perInput = tasks.stream().collect(Collectors.groupingBy(Task::input, Collectors.counting()));
            assertThat(perInput).as("no task recorded twice").allSatisfy((input, count) -> assertThat(count).isOne());
            Map<String, Task> byId = tasks.stream().collect(Collectors.toMap(Task::id, Function.identity()));
            assertThat(replies).filteredOn(r -> r.status() == 200)
                    .allSatisfy(r -> assertThat(byId).containsKey(r.body().path("task").path("id").asText()));
            // A task cut off mid-run is carried on once its lease lapses: none is left at work.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(a.tasks().list(10_000, null))
                    .allSatisfy(t -> assertThat(t.status().finished()).as("%s", t).isTrue()));

            // The background loops carry on: heartbeats, the memory feed, the event relay.
            long afterRestart = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(a.cluster().orElseThrow().nodes()
                    .list()).hasSize(2).allSatisfy(n -> {
                        assertThat(n.state()).isEqualTo("live");
                        assertThat(n.heartbeatAt().toEpochMilli()).isGreaterThan(afterRestart);
                    }).extracting(Node::id).contains(a.runner().runnerId(), b.runner().runnerId()));
            b.memory().remember(Steward.LOCAL_USER, "remember that the depot moved to Hull", "message", null);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    !a.memory().recall(Steward.LOCAL_USER, "depot", 5).current().isEmpty());
            List<TaskEvent> relayedToA = new CopyOnWriteArrayList<>();
            try (AutoCloseable subscription = a.runner().subscribe((user, event) -> relayedToA.add(event))) {
                Task onB = b.runner().run(AskRequest.of(Steward.LOCAL_USER, "hello after the restart"), TaskListener.NONE);
                await().atMost(Duration.ofSeconds(10)).until(() -> relayedToA.stream()
                        .anyMatch(e -> e.taskId().equals(onB.id()) && e.type().ends()));
            }
        }
    }
}
