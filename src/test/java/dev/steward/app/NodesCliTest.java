package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.DatabaseConfig;
import dev.steward.store.TestPostgres;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** steward nodes: the live nodes of a PostgreSQL database, and a plain answer on SQLite. */
@ExtendWith(TestPostgres.class)
class NodesCliTest {
    @TempDir
    Path home;
    @TempDir
    Path nodeHome;

    @Test
    void onSqliteThereIsOneNodeAndTheAnswerSaysHowToHaveMore() {
        StewardProcess.Result plain = StewardProcess.in(home).run("nodes");
        assertThat(plain.exit()).as("%s", plain).isZero();
        assertThat(plain.out()).contains("One node", "SQLite", "docs/scale-out.md");
    }

    @Test
    void onPostgresItListsTheLiveNodeWithItsVersionAndLeases(DatabaseConfig postgres) throws Exception {
        String yaml = "database:\n  url: \"" + postgres.url() + "\"\n  user: " + postgres.user()
                + "\n  password: \"\"\n";
        Files.writeString(nodeHome.resolve("steward.yaml"), yaml);
        Files.writeString(home.resolve("steward.yaml"), yaml);
        try (Steward node = Steward.load(Map.of("STEWARD_HOME", nodeHome.toString()), Steward.Lifetime.SHORT)) {
            node.runner().resumeAll();
            node.cluster().orElseThrow().start(node.runner(), node.tasks());

            StewardProcess.Result listed = StewardProcess.in(home).run("nodes", "--json");
            StewardProcess.Result table = StewardProcess.in(home).run("nodes");

            assertThat(listed.exit()).as("%s", listed).isZero();
            JsonNode json = Json.parse(listed.out());
            assertThat(json.get("clustered").asBoolean()).isTrue();
            assertThat(json.get("nodes")).singleElement().satisfies(n -> {
                assertThat(n.get("id").asText()).isEqualTo(node.runner().runnerId());
                assertThat(n.get("state").asText()).isEqualTo("live");
                assertThat(n.get("schema_version").asText()).isEqualTo(node.database().schemaVersion());
                assertThat(n.has("leases")).isTrue();
                assertThat(n.has("active_tasks")).isTrue();
            });
            assertThat(table.out()).contains("NODE", "LEASES", node.runner().runnerId(), "live");
        }
    }
}
