package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.Role;
import dev.steward.memory.Episode;
import dev.steward.memory.Memory;
import dev.steward.server.Client.Response;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory upkeep over real HTTP: each caller tidies their own memory, an admin another's without reading it. */
class MemoryUpkeepApiTest {
    @TempDir
    static Path home;
    static Gateway server;
    static Client carol;
    static Client dave;
    static Client admin;
    static String carolId;
    static String daveId;

    @BeforeAll
    static void start() {
        server = new Gateway(home, null);
        carol = Client.withKey(server, server.keyOf("carol", Role.STANDARD));
        dave = Client.withKey(server, server.keyOf("dave", Role.STANDARD));
        admin = Client.withKey(server, server.keyOf("root", Role.ADMIN));
        carolId = server.accounts.findUser("carol").orElseThrow().id();
        daveId = server.accounts.findUser("dave").orElseThrow().id();
        importEpisodes(carolId, mondayNoon(200), "Our dentist is Dr Quill on Harley Street",
                "The Lighthouse launch moved to 3 March");
        importEpisodes(daveId, mondayNoon(300), "Order twelve chairs from Ikea", "ok");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void eachUserChecksAppliesAndUndoesUpkeepOfTheirOwnMemory() {
        Response check = carol.get("/api/memory/upkeep");
        assertThat(check.status()).as(check.raw().body()).isEqualTo(200);
        assertThat(check.json().path("applied").asBoolean()).isFalse();
        assertThat(oldWeeks(check.json())).singleElement().satisfies(f -> assertThat(f.path("description").asText())
                .startsWith("2 exchanges of the week of ").endsWith("are older than 90 days"));
        assertThat(check.json().path("findings").toString()).doesNotContain("chairs");
        List<String> carolsOriginals = ids(carolId);

        Response applied = carol.post("/api/memory/upkeep/apply", ServerApiTest.body());
        assertThat(applied.status()).as(applied.raw().body()).isEqualTo(200);
        assertThat(applied.json().path("applied").asBoolean()).isTrue();
        assertThat(applied.json().path("changes").asInt()).isEqualTo(1);
        String run = applied.json().path("run_id").asText();
        assertThat(episodes(carolId)).singleElement().satisfies(e -> assertThat(e.text())
                .startsWith("Summary of 2 exchanges").contains(carolsOriginals.get(0)).contains(carolsOriginals.get(1)));
        assertThat(episodes(daveId)).as("dave's memory is his to tidy").hasSize(2).noneMatch(Episode::summary);
        assertThat(oldWeeks(dave.get("/api/memory/upkeep").json())).hasSize(1);

        Response notHis = dave.post("/api/memory/upkeep/undo", ServerApiTest.body("run", run));
        assertThat(notHis.status()).isEqualTo(404);
        assertThat(episodes(carolId)).hasSize(1);

        Response undone = carol.post("/api/memory/upkeep/undo", ServerApiTest.body("run", run));
        assertThat(undone.status()).as(undone.raw().body()).isEqualTo(200);
        assertThat(undone.json().path("restored").asInt()).isEqualTo(1);
        assertThat(ids(carolId)).isEqualTo(carolsOriginals);
    }

    @Test
    void anAdminLooksAfterAnotherUsersMemoryWithoutReadingItAndBadInputIsAClearError() {
        Response byAdmin = admin.get("/api/memory/upkeep?user=dave");
        assertThat(byAdmin.status()).as(byAdmin.raw().body()).isEqualTo(200);
        assertThat(byAdmin.json().path("user_id").asText()).isEqualTo(daveId);
        assertThat(oldWeeks(byAdmin.json())).hasSize(1);
        assertThat(byAdmin.raw().body()).doesNotContain("chairs").doesNotContain("Ikea");

        Response daveOnCarol = dave.get("/api/memory/upkeep?user=carol");
        assertThat(daveOnCarol.status()).isEqualTo(403);
        assertThat(error(daveOnCarol).path("code").asText()).isEqualTo("forbidden");
        assertThat(error(daveOnCarol).path("hint").asText()).contains("leave out ?user=");
        assertThat(admin.get("/api/memory/upkeep?user=nobody").status()).isEqualTo(404);

        Response noRun = carol.post("/api/memory/upkeep/undo", ServerApiTest.body());
        assertThat(noRun.status()).isEqualTo(400);
        assertThat(error(noRun).path("message").asText()).contains("run");
        Response unknownRun = carol.post("/api/memory/upkeep/undo", ServerApiTest.body("run", "nosuchrun"));
        assertThat(unknownRun.status()).isEqualTo(404);
        assertThat(error(unknownRun).path("message").asText()).contains("no upkeep run 'nosuchrun'");
        Response badDays = carol.post("/api/memory/upkeep/apply?summarise_days=0", ServerApiTest.body());
        assertThat(badDays.status()).isEqualTo(400);
        assertThat(error(badDays).path("message").asText()).contains("summarise_days");
        assertThat(episodes(carolId)).as("nothing applied").hasSize(2);
    }

    /** Noon on the Monday of the week some days ago: a group that no week boundary splits. */
    private static Instant mondayNoon(int daysAgo) {
        return LocalDate.now(ZoneOffset.UTC).minusDays(daysAgo).with(DayOfWeek.MONDAY).atTime(12, 0)
                .toInstant(ZoneOffset.UTC);
    }

    private static void importEpisodes(String userId, Instant at, String... inputs) {
        var export = Json.object().put("format", Memory.EXPORT_FORMAT).put("version", Memory.EXPORT_VERSION);
        var list = export.putArray("episodes");
        for (int i = 0; i < inputs.length; i++) {
            list.addObject().put("id", userId.substring(0, 4) + "ep" + i).put("user_id", userId).put("kind", "exchange")
                    .put("input", inputs[i]).put("answer", "Noted.").put("created_at", at.toEpochMilli() + i * 60_000L);
        }
        server.services.memory().importJson(userId, export);
    }

    private static List<Episode> episodes(String userId) {
        return server.services.memory().episodes(userId);
    }

    private static List<String> ids(String userId) {
        return episodes(userId).stream().map(Episode::id).toList();
    }

    private static List<JsonNode> oldWeeks(JsonNode report) {
        List<JsonNode> weeks = new java.util.ArrayList<>();
        report.path("findings").forEach(f -> {
            if (f.path("kind").asText().equalsIgnoreCase("old_episodes")) {
                weeks.add(f);
            }
        });
        return weeks;
    }

    private static JsonNode error(Response response) {
        return response.json().path("error");
    }
}
