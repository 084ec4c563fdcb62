package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import dev.steward.app.StewardProcess.Running;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/** Memory as a user meets it: each command a separate, offline process against one STEWARD_HOME. */
class MemoryCliTest {
    @TempDir
    Path temp;

    private static Result ok(Result result) {
        assertThat(result.exit()).as("%s", result).isZero();
        assertThat(result.err() + result.out()).as("%s", result).doesNotContain("Exception", "\tat ");
        return result;
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void rememberedInOneProcessRecalledInTheNextOffline() {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));

        Result remember = ok(steward.run("ask", "remember that my company is Acme Corp"));
        assertThat(remember.out()).contains("I'll remember: Your company is Acme Corp");

        Result recall = ok(steward.run("ask", "what do you know about my company?"));
        assertThat(recall.out()).contains("Acme Corp");
        assertThat(recall.err()).contains("offline");

        Result card = ok(steward.run("ask", "remember that my card is 4111 1111 1111 1111"));
        assertThat(card.out()).contains("left out a card number").doesNotContain("I'll remember");

        Running export = steward.start("memory", "export");
        Running markdown = steward.start("memory", "export", "--format", "markdown");
        Running search = steward.start("memory", "search", "card");
        String json = ok(export.finish()).out();
        assertThat(json).contains("Acme Corp").doesNotContain("4111 1111", "4111111111111111");
        assertThat(ok(markdown.finish()).out()).contains("Your company is Acme Corp").doesNotContain("4111 1111", "4111111111111111");
        assertThat(ok(search.finish()).out()).doesNotContain("4111 1111", "4111111111111111");
        // Not in memory, nor in the task record or its events: nowhere in the database.
        assertThat(ok(steward.run("tasks", "list")).out()).contains("[card number removed]").doesNotContain("4111 1111", "4111111111111111");
        assertThat(databaseText(steward.home())).doesNotContain("4111 1111").doesNotContain("4111111111111111")
                .contains("Acme Corp");
    }

    /** Every byte of the SQLite files, as text: what a look at the disk would find. */
    private static String databaseText(Path home) {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(home)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("steward.db")).toList()) {
                all.append(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return all.toString();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void historySurvivesExportAndImportIntoAnEmptyHome() throws Exception {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        ok(steward.run("ask", "John is our CFO"));
        Result update = ok(steward.run("ask", "Sarah is our CFO now"));
        assertThat(update.out()).contains("Updated: Sarah is your CFO");

        Result search = ok(steward.run("memory", "search", "CFO"));
        assertThat(search.out()).contains("Sarah is your CFO", "History:", "John was your CFO (until");

        Result conflict = ok(steward.run("ask", "Mark is our CFO"));
        assertThat(conflict.out()).contains("contradicts", "Which is right?");
        assertThat(ok(steward.run("memory", "search", "CFO")).out()).contains("Sarah is your CFO")
                .doesNotContain("Mark is your CFO");

        Path file = temp.resolve("memory.json");
        ok(steward.run("memory", "export", "-o", file.toString()));
        StewardProcess fresh = StewardProcess.in(temp.resolve("fresh"));
        Result imported = ok(fresh.run("memory", "import", file.toString()));
        assertThat(imported.out()).contains("Imported 2 fact versions");

        // Exported before anything reads it: a search counts as a use (last accessed, access count).
        Result exportedAgain = ok(fresh.run("memory", "export"));
        Running listed = fresh.start("memory", "list", "--history");
        Running again = fresh.start("memory", "search", "CFO");
        assertThat(ok(listed.finish()).out()).contains("Sarah is your CFO", "John was your CFO");
        assertThat(ok(again.finish()).out()).contains("Sarah is your CFO", "History:", "John was your CFO");
        String original = Files.readString(file);
        String copy = exportedAgain.out();
        assertThat(facts(copy)).isEqualTo(facts(original));
    }

    private static com.fasterxml.jackson.databind.JsonNode facts(String json) {
        return dev.steward.support.Json.parse(json).path("facts");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void forgetAndClearAskFirst() {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        ok(steward.run("memory", "add", "my company is Acme Corp"));
        ok(steward.run("memory", "add", "I prefer Vercel"));

        assertThat(ok(steward.run("ask", "forget my company")).out()).contains("Forgotten:", "Acme Corp");
        assertThat(ok(steward.run("ask", "show me my data")).out()).contains("You prefer Vercel")
                .doesNotContain("Acme");
        assertThat(ok(steward.run("ask", "clear my data")).out()).contains("yes, clear my data");
        assertThat(ok(steward.run("memory", "stats")).out()).containsPattern("facts\\s+1");

        Result refused = ok(steward.startWithInput("no\n", "memory", "clear").finish());
        assertThat(refused.out()).contains("Nothing deleted");
        Result cleared = ok(steward.run("ask", "yes, clear my data"));
        assertThat(cleared.out()).contains("Cleared");
        assertThat(ok(steward.run("memory", "list")).out()).contains("Nothing remembered yet");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aLostSearchIndexIsRebuiltFromTheStoreAndReindexEmbedsEverything() throws Exception {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        ok(steward.run("memory", "add", "my company is Acme Corp"));
        ok(steward.run("ask", "the quarterly planning meeting moved to Thursday"));
        Path index = steward.home().resolve("index");
        assertThat(index).isDirectory();

        try (var paths = Files.walk(index)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertThat(ok(steward.run("memory", "search", "company")).out()).contains("Acme Corp");
        assertThat(ok(steward.run("ask", "what do you know about my company?")).out()).contains("Acme Corp");

        Result reindex = ok(steward.run("memory", "reindex"));
        assertThat(reindex.out()).containsPattern("indexed \\d+ memories of 1 users")
                .containsPattern("embedded \\d+ with e5-small-v2");
        assertThat(ok(steward.run("memory", "search", "planning meeting")).out()).contains("Thursday");
    }
}
