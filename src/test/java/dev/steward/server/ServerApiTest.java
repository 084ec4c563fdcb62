package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.config.Role;
import dev.steward.identity.Accounts;
import dev.steward.memory.Contradiction;
import dev.steward.memory.Fact;
import dev.steward.server.Client.Response;
import dev.steward.support.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steward's own API over real HTTP: who may call what, chat and tasks, their events as they happen, errors. */
class ServerApiTest {
    @TempDir
    static Path home;
    static Gateway server;
    static Client alice;
    static Client bob;
    static Client anonymous;

    @BeforeAll
    static void start() {
        server = new Gateway(home, null);
        alice = Client.withKey(server, server.key);
        bob = Client.withKey(server, server.keyOf("bob", Role.STANDARD));
        anonymous = Client.anonymous(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String body(Object... pairs) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return Json.write(map);
    }

    static JsonNode chat(Client who, String message) {
        Response response = who.post("/api/chat", body("message", message));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.json();
    }

    // --- authentication ------------------------------------------------------------------------------------------

    @Test
    void withoutCredentialsEveryRouteButHealthReadyAndLoginAnswers401() {
        List<String> routes = server.server.registeredRoutes();
        assertThat(routes).contains("GET /api/tasks", "POST /api/chat", "GET /metrics", "POST /v1/chat/completions");
        List<String> open = new ArrayList<>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{[^/]+}", "someid");
            Response response = anonymous.send(method, path, method.equals("GET") ? null : "{}");
            if (response.status() == 401) {
                assertThat(response.raw().body()).as(route).contains("unauthenticated");
            } else {
                open.add(route);
            }
        }
        assertThat(open).as("the routes that answer without credentials")
                .containsExactlyInAnyOrder("GET /health", "GET /ready", "POST /api/auth/login");
        // /mcp is served by Jetty beside these routes; McpIntegrationTest checks that it answers 401 too.
    }

    @Test
    void errorsHaveOneShapeWithAHint() {
        Response response = anonymous.get("/api/tasks");
        assertThat(response.json().fieldNames()).toIterable().containsExactly("error");
        assertThat(response.json().get("error").fieldNames()).toIterable().containsExactly("code", "message", "hint");
        assertThat(response.json().at("/error/hint").asText()).contains("Authorization: Bearer");
        Response bad = alice.post("/api/chat", "{\"message\": 3}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("bad_request");
        assertThat(bad.json().at("/error/message").asText()).isEqualTo("'message' must be a string, not number");
        Response unknown = alice.get("/api/nothing-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/hint").asText()).contains("/api/openapi.json");
    }

    @Test
    void aRevokedKeyStopsWorking() {
        String key = server.keyOf("dave", Role.STANDARD);
        Client dave = Client.withKey(server, key);
        assertThat(dave.get("/api/auth/me").json().get("name").asText()).isEqualTo("dave");
        String id = server.accounts.keys("dave").getFirst().id();
        server.accounts.revokeKey(id);
        assertThat(dave.get("/api/auth/me").status()).isEqualTo(401);
    }

    @Test
    void loginSetsAnHttpOnlySessionCookieAndChangesNeedTheCsrfToken() {
        Response wrong = anonymous.post("/api/auth/login", body("username", "alice", "password", "nope-nope"));
        assertThat(wrong.status()).isEqualTo(401);
        Response login = anonymous.post("/api/auth/login", body("username", "alice", "password", "alice-password"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().at("/user/name").asText()).isEqualTo("alice");
        assertThat(login.json().at("/user/role").asText()).isEqualTo("standard");
        String csrf = login.json().get("csrf_token").asText();
        List<String> cookies = login.raw().headers().allValues("Set-Cookie");
        String session = cookies.stream().filter(c -> c.startsWith("steward_session=")).findFirst().orElseThrow();
        assertThat(session).contains("HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200");
        assertThat(cookies).anyMatch(c -> c.startsWith("steward_csrf=" + csrf + ";") && !c.contains("HttpOnly"));
        String cookie = session.substring(0, session.indexOf(';')) + "; steward_csrf=" + csrf;

        Client browser = Client.anonymous(server).header("Cookie", cookie);
        assertThat(browser.get("/api/auth/me").json().get("name").asText()).isEqualTo("alice");
        Response forged = browser.post("/api/chat", body("message", "no token"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.json().at("/error/message").asText()).contains("X-CSRF-Token");
        Response wrongToken = Client.anonymous(server).header("Cookie", cookie).header("X-CSRF-Token", "guess")
                .post("/api/chat", body("message", "wrong token"));
        assertThat(wrongToken.status()).isEqualTo(403);
        Response allowed = Client.anonymous(server).header("Cookie", cookie).header("X-CSRF-Token", csrf)
                .post("/api/chat", body("message", "with token"));
        assertThat(allowed.status()).isEqualTo(200);

        Response tampered = Client.anonymous(server).header("Cookie", cookie.replaceFirst("=(.)", "=x$1"))
                .get("/api/auth/me");
        assertThat(tampered.status()).isEqualTo(401);
    }

    // --- chat, tasks, conversations ------------------------------------------------------------------------------

    @Test
    void aUserRatesTheirOwnTasksAndOnlyAdminsSeeTheProposals() {
        String task = chat(alice, "summarise the week").at("/task/id").asText();

        Response rated = alice.post("/api/tasks/" + task + "/feedback", body("rating", "down", "comment", "too long"));
        assertThat(rated.status()).isEqualTo(200);
        assertThat(rated.json().get("rating").asText()).isEqualTo("down");
        assertThat(rated.json().get("comment").asText()).isEqualTo("too long");
        assertThat(bob.post("/api/tasks/" + task + "/feedback", body("rating", "up")).status())
                .as("another user's task is not found").isEqualTo(404);
        Response bad = alice.post("/api/tasks/" + task + "/feedback", body("rating", "meh"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/message").asText()).contains("\"up\" or \"down\"");

        assertThat(alice.get("/api/improvements").status()).isEqualTo(403);
        Client admin = Client.withKey(server, server.keyOf("root", Role.ADMIN));
        Response analysed = admin.post("/api/improvements/analyze", "{}");
        assertThat(analysed.status()).isEqualTo(200);
        assertThat(analysed.json().get("feedback").toString()).contains("summary");
        assertThat(admin.get("/api/improvements").json().get("proposals").isArray()).isTrue();
        assertThat(admin.get("/api/improvements/nope").status()).isEqualTo(404);
        assertThat(admin.get("/api/improvements/history").json().at("/history/0/message").asText())
                .isEqualTo("Start of the configuration history");
    }

    @Test
    void chatWaitsForTheAnswerAndTheConversationKeepsItsTasks() {
        JsonNode first = chat(alice, "hello there");
        JsonNode task = first.get("task");
        assertThat(task.get("status").asText()).isEqualTo("done");
        assertThat(task.get("answer").asText()).contains("hello there");
        assertThat(task.get("user_id").asText()).isEqualTo(server.alice.id());
        String conversation = first.get("conversation_id").asText();
        Response second = alice.post("/api/chat", body("message", "and again", "conversation_id", conversation));
        assertThat(second.status()).isEqualTo(200);

        JsonNode tasks = alice.get("/api/conversations/" + conversation).json().get("tasks");
        assertThat(tasks).extracting(t -> t.get("input").asText()).containsExactly("hello there", "and again");
        assertThat(alice.get("/api/conversations").json().get("conversations"))
                .anyMatch(c -> c.get("id").asText().equals(conversation) && c.get("tasks").asInt() == 2
                        && c.get("title").asText().equals("hello there"));
        JsonNode shown = alice.get("/api/tasks/" + task.get("id").asText()).json();
        assertThat(shown.at("/task/id").asText()).isEqualTo(task.get("id").asText());
        assertThat(shown.get("events")).extracting(e -> e.get("type").asText()).contains("started", "done");
        assertThat(alice.get("/api/tasks?status=done&limit=500").json().get("tasks"))
                .anyMatch(t -> t.get("id").asText().equals(task.get("id").asText()));
        assertThat(alice.get("/api/tasks?status=sleeping").errorCode()).isEqualTo("bad_request");
    }

    @Test
    void asyncChatAnswers202AndTheTaskStreamEndsAfterTheTerminalEvent() throws Exception {
        Response accepted = alice.post("/api/chat", body("message", "in the background", "async", true));
        assertThat(accepted.status()).isEqualTo(202);
        String id = accepted.json().at("/task/id").asText();
        assertThat(accepted.json().at("/task/status").asText()).isEqualTo("queued");
        List<Sse> events = stream("/api/tasks/" + id + "/events", server.key, null, Integer.MAX_VALUE);
        List<Sse> persisted = events.stream().filter(e -> e.id() != null).toList();
        assertThat(persisted.getLast().event()).isEqualTo("done");
        assertThat(persisted).extracting(Sse::id).isSorted().doesNotHaveDuplicates();
        assertThat(persisted).extracting(e -> Json.parse(e.data()).get("task_id").asText()).containsOnly(id);
        assertThat(persisted.getFirst().id()).isEqualTo("1");
    }

    @Test
    void aTaskStreamResumesAfterLastEventId() throws Exception {
        String id = chat(alice, "resume me").at("/task/id").asText();
        List<Sse> all = stream("/api/tasks/" + id + "/events", server.key, null, Integer.MAX_VALUE);
        assertThat(all.size()).isGreaterThanOrEqualTo(3);
        String resumeAfter = all.get(1).id();
        List<Sse> rest = stream("/api/tasks/" + id + "/events", server.key, resumeAfter, Integer.MAX_VALUE);
        assertThat(rest).extracting(Sse::id).containsExactlyElementsOf(all.subList(2, all.size()).stream()
                .map(Sse::id).toList());
    }

    @Test
    void theUserStreamCarriesTheirOwnTasksLiveAndNoOneElses() throws Exception {
        String bobKey = server.keyOf("erin", Role.STANDARD);
        Client erin = Client.withKey(server, bobKey);
        try (LiveStream erinStream = new LiveStream("/api/events", bobKey)) {
            chat(alice, "alice speaks first");
            String erinTask = chat(erin, "erin speaks second").at("/task/id").asText();
            Sse first = erinStream.next();
            assertThat(first.id()).startsWith(erinTask + ":");
            assertThat(Json.parse(first.data()).get("task_id").asText()).isEqualTo(erinTask);
        }
    }

    @Test
    void theUserStreamResumesAfterLastEventIdAcrossTasks() throws Exception {
        String key = server.keyOf("gina", Role.STANDARD);
        Client gina = Client.withKey(server, key);
        String first = chat(gina, "first task").at("/task/id").asText();
        String second = chat(gina, "second task").at("/task/id").asText();
        List<String> firstIds = new ArrayList<>();
        gina.get("/api/tasks/" + first).json().get("events").forEach(e -> firstIds.add(first + ":" + e.get("seq").asInt()));
        List<String> secondIds = new ArrayList<>();
        gina.get("/api/tasks/" + second).json().get("events").forEach(e -> secondIds.add(second + ":" + e.get("seq").asInt()));
        List<String> expected = new ArrayList<>(firstIds.subList(1, firstIds.size()));
        expected.addAll(secondIds);

        HttpResponse<Stream<String>> response = Client.HTTP.send(HttpRequest.newBuilder(URI.create(server.url("/api/events")))
                .header("Authorization", "Bearer " + key).header("Last-Event-ID", firstIds.getFirst()).build(),
                HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            List<String> replayed = new ArrayList<>();
            while (replayed.size() < expected.size()) {
                Sse event = parse(it);
                if (event.id() != null) {
                    replayed.add(event.id());
                }
            }
            assertThat(replayed).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void heartbeatsKeepAQuietStreamOpen() throws Exception {
        try (LiveStream quiet = new LiveStream("/api/events", server.keyOf("quiet", Role.STANDARD))) {
            assertThat(quiet.nextLine(l -> l.startsWith(": heartbeat"))).isEqualTo(": heartbeat");
        }
    }

    @Test
    void cancellingAFinishedTaskIsAConflict() {
        String id = chat(alice, "quick one").at("/task/id").asText();
        Response response = alice.post("/api/tasks/" + id + "/cancel", null);
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().at("/error/message").asText()).contains("already ended");
        Response answer = alice.post("/api/tasks/" + id + "/answer", body("answer", "yes"));
        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().at("/error/message").asText()).contains("not waiting for an answer");
    }

    // --- isolation: another user's object by id is 404, on every route that takes one ---------------------------

    @Test
    void anotherUsersTaskConversationAndEventsAre404() {
        JsonNode mine = chat(alice, "private to alice");
        String task = mine.at("/task/id").asText();
        String conversation = mine.get("conversation_id").asText();
        for (Response r : List.of(bob.get("/api/tasks/" + task), bob.get("/api/tasks/" + task + "/events"),
                bob.post("/api/tasks/" + task + "/cancel", null),
                bob.post("/api/tasks/" + task + "/answer", body("answer", "x")),
                bob.get("/api/conversations/" + conversation),
                bob.post("/api/chat", body("message", "join in", "conversation_id", conversation)))) {
            assertThat(r.status()).as(r.raw().request().uri().toString()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo("not_found");
        }
        assertThat(bob.get("/api/tasks?limit=500").json().get("tasks"))
                .noneMatch(t -> t.get("id").asText().equals(task));
        assertThat(bob.get("/api/conversations").json().get("conversations"))
                .noneMatch(c -> c.get("id").asText().equals(conversation));
        assertThat(bob.get("/api/tasks/" + task.substring(0, 4)).status()).as("a prefix of someone else's id")
                .isEqualTo(404);
    }

    @Test
    void anotherUsersApprovalIs404() {
        ActionGate.Outcome outcome = server.services.gate().call("files.delete", Json.object().put("path", "x.txt"),
                new ToolContext(server.alice.id(), null, Role.STANDARD));
        assertThat(outcome.status()).isEqualTo(ActionGate.Status.NEEDS_APPROVAL);
        String approval = outcome.approvalId();
        assertThat(bob.post("/api/approvals/" + approval + "/approve", null).status()).isEqualTo(404);
        assertThat(bob.post("/api/approvals/" + approval + "/reject", null).status()).isEqualTo(404);
        assertThat(bob.get("/api/approvals").json().get("approvals")).isEmpty();
        JsonNode listed = alice.get("/api/approvals?status=pending").json().get("approvals");
        assertThat(listed).anyMatch(a -> a.get("id").asText().equals(approval)
                && a.get("tool").asText().equals("files.delete") && a.get("status").asText().equals("pending")
                && a.at("/arguments/path").asText().equals("x.txt") && a.has("what") && a.has("cost_micros"));
        Response rejected = alice.post("/api/approvals/" + approval + "/reject", null);
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.json().at("/approval/status").asText()).isEqualTo("rejected");
        assertThat(alice.post("/api/approvals/" + approval + "/approve", null).status()).isEqualTo(409);
    }

    @Test
    void anotherUsersMemoryIs404AndNeverListed() {
        Response added = alice.post("/api/memory", body("subject", "user", "attribute", "favourite colour",
                "value", "teal", "category", "preferences"));
        assertThat(added.status()).isEqualTo(201);
        String fact = added.json().at("/facts/0/id").asText();
        assertThat(bob.send("PUT", "/api/memory/" + fact, body("value", "red")).status()).isEqualTo(404);
        assertThat(bob.send("DELETE", "/api/memory/" + fact, null).status()).isEqualTo(404);
        assertThat(bob.get("/api/memory").json().get("facts")).noneMatch(f -> f.get("id").asText().equals(fact));
        assertThat(bob.get("/api/memory?q=teal").json().get("facts")).isEmpty();
        assertThat(bob.get("/api/memory/export?format=markdown").raw().body()).doesNotContain("teal");

        server.services.memory().remember(server.alice.id(), "my email is alice@example.com", "message", null);
        server.services.memory().learn(server.alice.id(), "my email is alice@other.example", "noted", null, true);
        List<Contradiction> pending = server.services.memory().pendingContradictions(server.alice.id());
        assertThat(pending).isNotEmpty();
        String contradiction = pending.getFirst().id();
        assertThat(bob.post("/api/memory/contradictions/" + contradiction + "/resolve", body("keep", "new")).status())
                .isEqualTo(404);
        assertThat(bob.get("/api/memory/contradictions").json().get("contradictions")).isEmpty();
        assertThat(alice.get("/api/memory/contradictions").json().get("contradictions"))
                .anyMatch(c -> c.get("id").asText().equals(contradiction));
        Response resolved = alice.post("/api/memory/contradictions/" + contradiction + "/resolve", body("keep", "old"));
        assertThat(resolved.status()).isEqualTo(200);

        Response corrected = alice.send("PUT", "/api/memory/" + fact, body("value", "navy"));
        assertThat(corrected.status()).isEqualTo(200);
        assertThat(alice.get("/api/memory?category=preferences").json().get("facts"))
                .extracting(f -> f.get("value").asText()).contains("navy").doesNotContain("teal");
        String navy = server.services.memory().facts(server.alice.id(), false).stream()
                .filter(f -> f.value().equals("navy")).map(Fact::id).findFirst().orElseThrow();
        assertThat(alice.send("DELETE", "/api/memory/" + navy, null).status()).isEqualTo(200);
        assertThat(alice.get("/api/memory").json().get("facts")).noneMatch(f -> f.get("value").asText().equals("navy"));
    }

    // --- roles ---------------------------------------------------------------------------------------------------

    @Test
    void aLimitedUserChatsButHasNoApprovalsAndNoAdminRoutes() {
        Client limited = Client.withKey(server, server.keyOf("lim", Role.LIMITED));
        assertThat(chat(limited, "just chatting").at("/task/status").asText()).isEqualTo("done");
        Response approvals = limited.get("/api/approvals");
        assertThat(approvals.status()).isEqualTo(403);
        assertThat(approvals.json().at("/error/message").asText()).contains("limited");
        assertThat(limited.post("/api/approvals/whatever/approve", null).status()).isEqualTo(403);
        assertThat(limited.get("/metrics").status()).isEqualTo(403);
        assertThat(limited.get("/api/settings").status()).isEqualTo(403);
        assertThat(alice.get("/api/settings").status()).isEqualTo(403);
    }

    @Test
    void readinessNeedsNoCredentialsAndChecksDatabaseAndIndex() {
        Response ready = anonymous.get("/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json()).isEqualTo(Json.parse("{\"database\":\"ok\",\"index\":\"ok\",\"status\":\"ready\"}"));
    }

    @Test
    void statsAndAuditShowTheCallersOwnRows() {
        chat(alice, "something to count");
        JsonNode stats = alice.get("/api/stats?days=7").json();
        assertThat(stats.at("/totals/calls").asLong()).isPositive();
        assertThat(stats.get("by_day")).isNotEmpty();
        assertThat(stats.get("by_model")).isNotEmpty();
        assertThat(stats.has("budgets")).isTrue();
        JsonNode fresh = Client.withKey(server, server.keyOf("frank", Role.STANDARD))
                .get("/api/stats").json();
        assertThat(fresh.at("/totals/calls").asLong()).isZero();
        JsonNode audit = alice.get("/api/audit?limit=10").json();
        assertThat(audit.get("chain_ok").asBoolean()).isTrue();
        assertThat(audit.get("entries")).allMatch(e -> e.get("user_id").asText().equals(server.alice.id()));
    }

    // --- SSE helpers ---------------------------------------------------------------------------------------------

    /** One server-sent event: its id (null for text), its type and its data. */
    record Sse(String id, String event, String data) {}

    /** Reads a stream to its end (or {@code max} events). */
    static List<Sse> stream(String path, String key, String lastEventId, int max) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = Client.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<Sse> events = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            Sse next;
            while (events.size() < max && (next = parse(it)) != null) {
                if (next.event() != null) {
                    events.add(next);
                }
            }
        }
        return events;
    }

    /** The next event, skipping comments; null at the end of the stream. */
    static Sse parse(Iterator<String> lines) {
        String id = null, event = null, data = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (event != null) {
                    return new Sse(id, event, data);
                }
                continue;
            }
            if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = line.substring(6);
            }
        }
        return null;
    }

    /** A stream that stays open (the user's), read event by event. */
    static final class LiveStream implements AutoCloseable {
        private final Stream<String> lines;
        private final Iterator<String> it;

        LiveStream(String path, String key) throws Exception {
            HttpResponse<Stream<String>> response = Client.HTTP.send(HttpRequest.newBuilder(URI.create(server.url(path)))
                    .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            lines = response.body();
            it = lines.iterator();
            assertThat(it.next()).isEqualTo(": stream open"); // subscribed: what happens from now on arrives
        }

        Sse next() {
            Sse event;
            do {
                event = parse(it);
            } while (event != null && event.id() == null);
            return event;
        }

        String nextLine(java.util.function.Predicate<String> wanted) {
            while (it.hasNext()) {
                String line = it.next();
                if (wanted.test(line)) {
                    return line;
                }
            }
            return null;
        }

        @Override
        public void close() {
            lines.close();
        }
    }
}
