package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.Role;
import dev.steward.server.Client.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Team memory, privacy between users (admins included), export and purge, over real HTTP. */
class TeamMemoryApiTest {
    @TempDir
    static Path home;
    static Gateway server;
    static Client admin;
    static Client carol;
    static Client dave;
    static Client erin;

    @BeforeAll
    static void start() {
        server = new Gateway(home, null);
        admin = Client.withKey(server, server.keyOf("root", Role.ADMIN));
        carol = Client.withKey(server, server.keyOf("carol", Role.STANDARD));
        dave = Client.withKey(server, server.keyOf("dave", Role.STANDARD));
        erin = Client.withKey(server, server.keyOf("erin", Role.STANDARD));
        Response team = admin.post("/api/teams", ServerApiTest.body("name", "sales", "members", List.of("carol", "dave")));
        assertThat(team.status()).as(team.raw().body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<String> values(Client who) {
        Response response = who.get("/api/memory");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        List<String> values = new ArrayList<>();
        response.json().path("facts").forEach(f -> values.add(f.path("value").asText() + "@" + f.path("scope").asText()));
        return values;
    }

    @Test
    void aTeamFactIsSeenByTheTeamOnlyAndPrivateFactsByTheirOwnerOnly() {
        Response shared = carol.post("/api/memory", ServerApiTest.body("text", "remember that our sales target is 2M",
                "scope", "team:sales"));
        assertThat(shared.status()).as(shared.raw().body()).isEqualTo(201);
        assertThat(shared.json().path("facts").get(0).path("scope").asText()).isEqualTo("team:sales");
        Response mine = carol.post("/api/memory", ServerApiTest.body("text", "remember that my dentist is Dr Quill"));
        String privateId = mine.json().path("facts").get(0).path("id").asText();

        assertThat(values(carol)).contains("2M@team:sales", "Dr Quill@private");
        assertThat(values(dave)).contains("2M@team:sales").doesNotContain("Dr Quill@private");
        assertThat(values(erin)).isEmpty();
        assertThat(values(admin)).as("an admin sees no one's private memory").isEmpty();
        assertThat(admin.send("DELETE", "/api/memory/" + privateId, null).status()).isEqualTo(404);
        assertThat(admin.send("PUT", "/api/memory/" + privateId, ServerApiTest.body("value", "x")).status())
                .isEqualTo(404);
        assertThat(dave.get("/api/memory?q=target").json().path("facts").toString()).contains("2M");

        Response outsider = erin.post("/api/memory", ServerApiTest.body("text", "remember that x is y",
                "scope", "team:sales"));
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.raw().body()).contains("not a member of team 'sales'");
        Response bad = carol.post("/api/memory", ServerApiTest.body("text", "remember that x is y", "scope", "public"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.raw().body()).contains("team:NAME");
    }

    @Test
    void teamsNeedAnAdminAndKnownMembers() {
        Response unknown = admin.post("/api/teams", ServerApiTest.body("name", "ops", "members", List.of("nobody")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.raw().body()).contains("no user 'nobody'");
        assertThat(admin.get("/api/teams").raw().body()).doesNotContain("\"ops\"");
        assertThat(carol.post("/api/teams", ServerApiTest.body("name", "mine", "members", List.of())).status())
                .isEqualTo(403);
        assertThat(erin.get("/api/teams").json().path("teams")).isEmpty();
        assertThat(dave.get("/api/teams").json().path("teams").get(0).path("members").toString())
                .contains("carol", "dave");
    }

    @Test
    void anExportHoldsEverythingAboutAUserAndAPurgeLeavesNoTextOnDisk() throws Exception {
        Client frank = Client.withKey(server, server.keyOf("frank", Role.STANDARD));
        assertThat(frank.post("/api/memory", ServerApiTest.body("text", "remember that my codename is Bluebird"))
                .status()).isEqualTo(201);
        Response chat = frank.post("/api/chat", ServerApiTest.body("message", "Bluebird says hello"));
        assertThat(chat.status()).as(chat.raw().body()).isEqualTo(200);
        String frankId = server.accounts.findUser("frank").orElseThrow().id();

        assertThat(frank.get("/api/users/frank/export").status()).isEqualTo(403);
        assertThat(admin.get("/api/users/nobody/export").status()).isEqualTo(404);
        JsonNode export = admin.get("/api/users/frank/export").json();
        assertThat(export.path("user").path("name").asText()).isEqualTo("frank");
        assertThat(export.path("memory").path("facts").toString()).contains("Bluebird");
        assertThat(export.path("tasks").toString()).contains("Bluebird says hello");
        long calls = export.path("spend").path("calls").asLong();
        assertThat(calls).as("the chat's model calls, recorded a moment ago and still on their way").isPositive();
        assertThat(databaseText()).contains("Bluebird");

        Response purge = admin.send("DELETE", "/api/users/frank?purge=true", null);
        assertThat(purge.status()).as(purge.raw().body()).isEqualTo(200);

        assertThat(databaseText()).doesNotContain("Bluebird");
        assertThat(frank.get("/api/memory").status()).as("their keys are revoked").isEqualTo(401);
        long callsAfter = server.database.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM model_calls WHERE user_id = :u").bind("u", frankId).mapTo(Long.class).one());
        assertThat(callsAfter).as("spend rows stay for budgets").isEqualTo(calls);
        assertThat(admin.get("/api/users/frank/export").status()).isEqualTo(404);
        Response local = admin.send("DELETE", "/api/users/local?purge=true", null);
        assertThat(local.status()).isEqualTo(400);
    }

    /** Every byte of the SQLite files, as text: what a look at the disk would find. */
    private static String databaseText() throws java.io.IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(home)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("steward.db")).toList()) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }
}
