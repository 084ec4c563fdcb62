package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The knowledge base as a user meets it: separate offline processes against one STEWARD_HOME and real documents. */
class KnowledgeCliTest {
    @TempDir
    Path temp;

    @Test
    void aFolderOfDocumentsAnswersOfflineWithItsSourceAndFollowsEditsAndDeletions() throws Exception {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        Path docs = Files.createDirectories(temp.resolve("docs"));
        Files.copy(Path.of("src/test/resources/documents/report.docx"), docs.resolve("report.docx"));
        Files.copy(Path.of("src/test/resources/documents/contract.pdf"), docs.resolve("contract.pdf"));
        Path handbook = Files.writeString(docs.resolve("handbook.md"), "# Staff handbook\n\n## Parental leave\n\n"
                + "Parents get 16 weeks of parental leave at full pay.\n");
        Files.writeString(docs.resolve("notes.docx"), "not really a docx");

        Result added = steward.run("knowledge", "add", docs.toString());
        assertThat(added.exit()).as("%s", added).isEqualTo(1);
        assertThat(added.out()).contains("Indexed 3 new").contains("Skipped ").contains("notes.docx");
        assertThat(steward.run("knowledge", "list").out()).contains("handbook.md").contains("\"Quarterly report\"")
                .contains("contract.pdf");

        Result answer = steward.run("ask", "how many weeks of parental leave do parents get?");
        assertThat(answer.exit()).as("%s", answer).isZero();
        assertThat(answer.out()).contains("16 weeks").contains("Staff handbook").contains("handbook.md");

        Result search = steward.run("knowledge", "search", "--json", "supplier delivers the website");
        assertThat(search.out()).contains("31 March").contains("contract.pdf");

        Files.writeString(handbook, "# Staff handbook\n\n## Parental leave\n\nParents get 20 weeks of parental leave.\n");
        Files.setLastModifiedTime(handbook, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        Files.delete(docs.resolve("contract.pdf"));
        Files.delete(docs.resolve("notes.docx"));
        Result refreshed = steward.run("knowledge", "refresh");
        assertThat(refreshed.exit()).as("%s", refreshed).isZero();
        assertThat(refreshed.out()).contains("Indexed 0 new and 1 changed").contains("removed 1 no longer there");
        assertThat(steward.run("ask", "how many weeks of parental leave do parents get?").out()).contains("20 weeks")
                .doesNotContain("16 weeks");

        Result missing = steward.run("knowledge", "add", temp.resolve("nowhere").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("nowhere");
        assertThat(steward.run("knowledge", "remove", docs.toString()).out()).contains("Removed");
        assertThat(steward.run("knowledge", "list").out()).contains("No documents yet");
    }

    @Test
    void aTeamScopedWatchedFolderIsListedWithItsScopeAndAWrongScopeWritesNothing() throws Exception {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        Path sales = Files.createDirectories(temp.resolve("sales"));
        Files.writeString(sales.resolve("pricing.md"), "# Pricing\n\nThe list price is 40 euros a seat.\n");

        Result unknown = steward.run("knowledge", "add", "--scope", "team:sales", sales.toString());
        assertThat(unknown.exit()).as("%s", unknown).isEqualTo(Main.USAGE);
        assertThat(unknown.err()).contains("no team 'sales'").contains("steward teams add sales");
        Result file = steward.run("knowledge", "add", "--watch", sales.resolve("pricing.md").toString());
        assertThat(file.exit()).as("%s", file).isEqualTo(Main.USAGE);
        assertThat(file.err()).contains("follows folders");
        assertThat(steward.run("knowledge", "list").out()).contains("No documents yet");

        steward.run("teams", "add", "sales", "--members", "local").ok();
        assertThat(steward.run("knowledge", "add", "--scope", "team:sales", "--watch", sales.toString()).ok().out())
                .contains("Indexed 1 new");
        assertThat(steward.run("knowledge", "list").ok().out()).contains("pricing.md").contains(", team:sales")
                .contains("Watching " + sales + " (team:sales)");
        assertThat(steward.run("knowledge", "remove", sales.toString()).ok().out()).contains("Removed ")
                .contains("No longer watching " + sales);
    }
}
