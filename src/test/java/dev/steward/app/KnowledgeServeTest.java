package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.steward.memory.MemoryIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The knowledge base under a real {@code steward serve}, with the CLI in separate processes beside it: chunks added
 * by the CLI get their vectors from serve's background embedder without any search, and a folder added with
 * {@code --watch} is followed — a new file, an edit and a deletion — until {@code knowledge remove} stops it.
 */
class KnowledgeServeTest {
    @TempDir
    Path temp;

    @Test
    void serveEmbedsNewChunksWithoutASearchAndFollowsAWatchedFolderUntilItIsRemoved() throws Exception {
        Path home = temp.resolve("home");
        StewardProcess steward = StewardProcess.in(home);
        Path docs = Files.createDirectories(temp.resolve("docs"));
        Path handbook = Files.writeString(docs.resolve("handbook.md"), "# Staff handbook\n\n## Parental leave\n\n"
                + "Parents get 16 weeks of parental leave at full pay.\n");
        Files.writeString(docs.resolve("travel.md"), "# Travel\n\nBook trains, not planes, under 600 km.\n");

        StewardProcess.Running serve = steward.serve();
        try {
            StewardProcess.Result added = steward.run("knowledge", "add", "--watch", docs.toString()).ok();
            assertThat(added.out()).contains("Indexed 2 new");
            assertThat(steward.run("knowledge", "list").ok().out()).contains("Watching " + docs);
            try (MemoryIndex memories = MemoryIndex.open(home, false); MemoryIndex index = memories.sibling("knowledge")) {
                assertThat(index.count(Steward.LOCAL_USER)).isEqualTo(2);
                await().atMost(Duration.ofSeconds(120)).until(() -> index.pending() == 0);
            }

            Files.writeString(handbook, "# Staff handbook\n\n## Parental leave\n\nParents get twenty weeks of parental"
                    + " leave.\n");
            Files.writeString(docs.resolve("expenses.md"), "# Expenses\n\nReceipts go to finance within 30 days.\n");
            Files.delete(docs.resolve("travel.md"));
            await().atMost(Duration.ofSeconds(60)).until(() -> documents(home).equals(List.of("expenses.md",
                    "handbook.md")) && chunkText(home).contains("twenty weeks"));
            assertThat(steward.run("knowledge", "search", "parental leave weeks").ok().out()).contains("twenty weeks")
                    .doesNotContain("16 weeks");

            StewardProcess.Result removed = steward.run("knowledge", "remove", docs.toString()).ok();
            assertThat(removed.out()).contains("No longer watching " + docs);
            Files.writeString(docs.resolve("late.md"), "# Late\n\nWritten after the folder was removed.\n");
            // Two rounds of the watch and its settling time: long enough for a watched folder to be followed.
            Thread.sleep(2 * Steward.KNOWLEDGE_WATCH_EVERY.toMillis() + Steward.KNOWLEDGE_SETTLE.toMillis());
            assertThat(documents(home)).isEmpty();
        } finally {
            serve.stop();
        }
    }

    private static List<String> documents(Path home) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("steward.db"));
             var rs = c.createStatement().executeQuery("SELECT path FROM knowledge_documents ORDER BY path")) {
            while (rs.next()) {
                names.add(Path.of(rs.getString(1)).getFileName().toString());
            }
        }
        return names;
    }

    private static String chunkText(Path home) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("steward.db"));
             var rs = c.createStatement().executeQuery("SELECT body FROM knowledge_chunks")) {
            while (rs.next()) {
                text.append(rs.getString(1)).append('\n');
            }
        }
        return text.toString();
    }
}
