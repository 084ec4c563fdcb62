package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.Role;
import dev.steward.server.Client.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The knowledge base over real HTTP: each caller's own documents, paths kept inside the workspace. */
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
