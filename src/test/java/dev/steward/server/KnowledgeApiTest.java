package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.Role;
import dev.steward.memory.MemoryContext;
import dev.steward.memory.Passage;
import dev.steward.server.Client.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The knowledge base over real HTTP: each caller's own documents and their teams', paths kept inside the workspace.
 */
class KnowledgeApiTest {
    @TempDir
    static Path home;
    static Gateway server;
    static Client carol;
    static Client dave;
    static Client admin;
    static Path handbook;

    @BeforeAll
    static void start() throws Exception {
        server = new Gateway(home, null);
        carol = Client.withKey(server, server.keyOf("carol", Role.STANDARD));
        dave = Client.withKey(server, server.keyOf("dave", Role.STANDARD));
        admin = Client.withKey(server, server.keyOf("root", Role.ADMIN));
        handbook = Files.createDirectories(home.resolve("workspace/handbook"));
        Files.writeString(handbook.resolve("leave.md"), "# Leave\n\n## Paid leave\n\nEveryone gets 27 days of paid"
                + " leave a year.\n");
        Files.writeString(handbook.resolve("travel.md"), "# Travel\n\nBook trains, not planes, under 600 km.\n");
        Files.writeString(home.resolve("outside.md"), "# Outside\n\nNot for API users.\n");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aUserAddsAFolderSearchesItAndFollowsEditsDeletionsAndRemovals() throws Exception {
        Response added = carol.post("/api/knowledge", ServerApiTest.body("paths", List.of("handbook")));
        assertThat(added.status()).as(added.raw().body()).isEqualTo(200);
        assertThat(added.json().path("added")).hasSize(2);

        Response found = carol.get("/api/knowledge/search?q=how+many+days+of+paid+leave");
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().path("passages").get(0).path("text").asText()).contains("27 days");
        assertThat(found.json().path("passages").get(0).path("section").asText()).isEqualTo("Leave > Paid leave");
        assertThat(dave.get("/api/knowledge/search?q=paid+leave").json().path("passages")).isEmpty();
        assertThat(dave.get("/api/knowledge").json().path("documents")).isEmpty();
        assertThat(carol.get("/api/knowledge").json().path("documents")).hasSize(2);

        Path leave = handbook.resolve("leave.md");
        Files.writeString(leave, "# Leave\n\n## Paid leave\n\nEveryone gets 30 days of paid leave a year.\n");
        Files.setLastModifiedTime(leave, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Files.delete(handbook.resolve("travel.md"));
        Response refreshed = carol.post("/api/knowledge/refresh", ServerApiTest.body());
        assertThat(refreshed.status()).as(refreshed.raw().body()).isEqualTo(200);
        assertThat(refreshed.json().path("updated")).hasSize(1);
        assertThat(refreshed.json().path("removed")).hasSize(1);
        assertThat(carol.get("/api/knowledge/search?q=paid+leave").json().path("passages").get(0).path("text")
                .asText()).contains("30 days");

        assertThat(carol.send("DELETE", "/api/knowledge?path=handbook/leave.md", null).status()).isEqualTo(200);
        assertThat(carol.send("DELETE", "/api/knowledge?path=handbook/leave.md", null).status()).isEqualTo(404);
        assertThat(carol.get("/api/knowledge").json().path("documents")).isEmpty();
    }

    static List<String> listed(Client who) {
        Response response = who.get("/api/knowledge");
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        List<String> shown = new java.util.ArrayList<>();
        for (JsonNode d : response.json().path("documents")) {
            shown.add(Path.of(d.path("path").asText()).getFileName() + "@" + d.path("scope").asText());
        }
        return shown;
    }

    static String searched(Client who, String q) {
        Response response = who.get("/api/knowledge/search?q=" + q.replace(' ', '+'));
        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        return response.json().path("passages").toString();
    }

    @Test
    void aTeamDocumentIsReadByTheTeamOnlyAndPrivateDocumentsByTheirOwnerOnly() throws Exception {
        Client fay = Client.withKey(server, server.keyOf("fay", Role.STANDARD));
        Client gus = Client.withKey(server, server.keyOf("gus", Role.STANDARD));
        Client hal = Client.withKey(server, server.keyOf("hal", Role.STANDARD));
        Response team = admin.post("/api/teams", ServerApiTest.body("name", "ops", "members", List.of("fay", "gus")));
        assertThat(team.status()).as(team.raw().body()).isEqualTo(201);
        Path runbooks = Files.createDirectories(home.resolve("workspace/runbooks"));
        Files.writeString(runbooks.resolve("pager.md"), "# Pager\n\n## Escalation\n\nPage the duty manager after"
                + " fifteen minutes without an acknowledgement.\n");
        Files.writeString(home.resolve("workspace/diary.md"), "# Diary\n\nMy locker code is 4711, tell nobody.\n");

        Response shared = fay.post("/api/knowledge", ServerApiTest.body("paths", List.of("runbooks"), "scope",
                "team:ops", "watch", true));
        assertThat(shared.status()).as(shared.raw().body()).isEqualTo(200);
        assertThat(shared.json().path("added")).hasSize(1);
        assertThat(fay.post("/api/knowledge", ServerApiTest.body("paths", List.of("diary.md"))).status())
                .isEqualTo(200);

        assertThat(listed(fay)).containsExactlyInAnyOrder("diary.md@private", "pager.md@team:ops");
        assertThat(listed(gus)).containsExactly("pager.md@team:ops");
        assertThat(listed(hal)).isEmpty();
        assertThat(listed(admin)).as("an admin sees no one's private documents").doesNotContain("diary.md@private");
        assertThat(gus.get("/api/knowledge").json().path("watched").toString()).contains("runbooks")
                .contains("team:ops");
        assertThat(hal.get("/api/knowledge").json().path("watched")).isEmpty();

        assertThat(searched(gus, "when to page the duty manager")).contains("fifteen minutes").contains("Escalation");
        assertThat(searched(gus, "locker code")).doesNotContain("4711");
        assertThat(searched(hal, "when to page the duty manager")).doesNotContain("fifteen minutes");
        assertThat(searched(admin, "locker code")).doesNotContain("4711");
        assertThat(searched(fay, "locker code")).contains("4711");

        // What the agent is given for a member's request: the team's passages, not a team-mate's private ones.
        MemoryContext context = new MemoryContext(server.services.memory());
        String gusId = server.accounts.findUser("gus").orElseThrow().id();
        String halId = server.accounts.findUser("hal").orElseThrow().id();
        assertThat(context.passages(gusId, "when do I page the duty manager")).extracting(Passage::text)
                .anySatisfy(text -> assertThat(text).contains("fifteen minutes"));
        assertThat(context.passages(gusId, "what is the locker code")).extracting(Passage::text)
                .noneSatisfy(text -> assertThat(text).contains("4711"));
        assertThat(context.passages(halId, "when do I page the duty manager")).isEmpty();

        Response outsider = hal.post("/api/knowledge", ServerApiTest.body("paths", List.of("handbook"), "scope",
                "team:ops"));
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.raw().body()).contains("not a member of team 'ops'");
        Response unknown = hal.post("/api/knowledge", ServerApiTest.body("paths", List.of("handbook"), "scope",
                "team:nope"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.raw().body()).contains("no team 'nope'");
        Response bad = hal.post("/api/knowledge", ServerApiTest.body("paths", List.of("handbook"), "scope", "public"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.raw().body()).contains("team:NAME");
        Response watchFile = hal.post("/api/knowledge", ServerApiTest.body("paths", List.of("diary.md"), "watch",
                true));
        assertThat(watchFile.status()).isEqualTo(400);
        assertThat(watchFile.raw().body()).contains("follows folders");
        assertThat(listed(hal)).as("nothing written by a refused request").isEmpty();
        assertThat(listed(fay)).hasSize(2);

        Response removed = gus.send("DELETE", "/api/knowledge?path=runbooks", null);
        assertThat(removed.status()).as(removed.raw().body()).isEqualTo(200);
        assertThat(removed.json().path("unwatched").toString()).contains("runbooks");
        assertThat(listed(fay)).containsExactly("diary.md@private");
        assertThat(fay.get("/api/knowledge").json().path("watched")).isEmpty();
    }

    @Test
    void badInputIsAClearErrorAndOnlyAnAdminReadsOutsideTheWorkspace() {
        Response outside = dave.post("/api/knowledge", ServerApiTest.body("paths", List.of("../outside.md")));
        assertThat(outside.status()).isEqualTo(403);
        assertThat(outside.raw().body()).contains("outside the workspace");
        Response missing = dave.post("/api/knowledge", ServerApiTest.body("paths", List.of("handbook", "nowhere.md")));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.raw().body()).contains("nowhere.md");
        assertThat(dave.get("/api/knowledge").json().path("documents")).as("nothing half-written").isEmpty();
        assertThat(dave.post("/api/knowledge", ServerApiTest.body("paths", List.of())).status()).isEqualTo(400);
        assertThat(dave.get("/api/knowledge/search").status()).isEqualTo(400);
        assertThat(dave.send("DELETE", "/api/knowledge", null).status()).isEqualTo(400);

        Response byAdmin = admin.post("/api/knowledge", ServerApiTest.body("paths", List.of(home.resolve("outside.md")
                .toString())));
        assertThat(byAdmin.status()).as(byAdmin.raw().body()).isEqualTo(200);
        assertThat(byAdmin.json().path("added")).hasSize(1);
    }
}
