package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.app.StewardProcess.Result;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/** The learning loop from the command line, offline, as a user runs it. */
class LearningCliTest {
    @TempDir
    Path home;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void ratingsBecomeAPreferenceThatApprovalWritesAndRollbackTakesBack() throws Exception {
        StewardProcess steward = StewardProcess.in(home);
        String first = askedTask(steward, "summarise the notes in my workspace");
        String second = askedTask(steward, "give me a summary of my week");

        Result rated = steward.run("tasks", "rate", first, "down", "too long — use bullet points");
        assertThat(rated.exit()).as("%s", rated).isZero();
        steward.run("tasks", "rate", second, "down", "Too long, bullet points please");
        Result wrong = steward.run("tasks", "rate", second, "meh");
        assertThat(wrong.exit()).as("%s", wrong).isEqualTo(Main.USAGE);
        assertThat(wrong.err()).contains("\"up\" or \"down\"");

        Result analyzed = steward.run("improve", "analyze");
        assertThat(analyzed.exit()).as("%s", analyzed).isZero();
        assertThat(analyzed.out()).contains("1 new proposal(s)", "For summary requests of local");
        JsonNode proposal = Json.parse(steward.run("improve", "list", "--json").out()).get(0);
        assertThat(proposal.get("status").asText()).isEqualTo("pending");
        assertThat(proposal.get("kind").asText()).isEqualTo("preference");
        assertThat(proposal.at("/evaluation/note").asText()).contains("no language model");
        String id = proposal.get("id").asText();

        Result approved = steward.run("improve", "approve", id);
        assertThat(approved.exit()).as("%s", approved).isZero();
        assertThat(Files.readString(home.resolve("preferences.yaml"))).contains("Use bullet points.");
        assertThat(steward.run("improve", "history").out()).contains("Proposal " + id);

        Result rolledBack = steward.run("improve", "rollback", id);
        assertThat(rolledBack.exit()).as("%s", rolledBack).isZero();
        assertThat(home.resolve("preferences.yaml")).doesNotExist();
        Result again = steward.run("improve", "rollback", id);
        assertThat(again.exit()).isEqualTo(Main.TASK_FAILED);
        assertThat(again.err()).contains("it is rolled_back", "only an applied proposal can be rolled back");
        assertThat(steward.run("improve", "show", "nope").err()).contains("no proposal \"nope\"");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void doctorDeepNamesATamperedAuditLog() throws Exception {
        StewardProcess steward = StewardProcess.in(home);
        steward.run("tools", "call", "files.list", "{}");
        steward.run("tools", "call", "files.list", "{}");
        Result healthy = steward.run("doctor", "--deep");
        assertThat(healthy.out()).as("%s", healthy).contains("audit", "the hash chain is whole", "index");

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("steward.db"));
             Statement s = c.createStatement()) {
            s.execute("UPDATE audit_log SET arguments = '{\"path\":\"elsewhere\"}' WHERE seq = 2");
        }
        Result tampered = steward.run("doctor", "--deep");

        assertThat(tampered.exit()).as("%s", tampered).isEqualTo(Main.TASK_FAILED);
        assertThat(tampered.out()).contains("FAIL  audit", "tampered with", "row 2");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void factsNobodyConfirmedForMonthsBecomeAnUpkeepProposalThatApprovalRunsAndRollbackUndoes() throws Exception {
        StewardProcess steward = StewardProcess.in(home);
        for (String said : new String[] {"my dentist is Dr Quill", "my bank is Nordbank", "my gym is Fitbox",
                "my car is a Volvo", "my cat is Miso"}) {
            assertThat(steward.run("memory", "add", said).exit()).isZero();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("steward.db"));
             Statement s = c.createStatement()) { // the facts were told 200 days ago and never used since
            long ago = 200L * 24 * 3600 * 1000;
            s.execute("UPDATE facts SET valid_from = valid_from - " + ago + ", last_accessed_at = last_accessed_at - "
                    + ago);
        }

        Result analyzed = steward.run("improve", "analyze");
        assertThat(analyzed.exit()).as("%s", analyzed).isZero();
        assertThat(analyzed.out()).contains("Tidy the memory of local: 5 stale");
        JsonNode proposal = Json.parse(steward.run("improve", "list", "--json").out()).get(0);
        assertThat(proposal.get("kind").asText()).isEqualTo("memory");
        String id = proposal.get("id").asText();

        Result approved = steward.run("improve", "approve", id);
        assertThat(approved.exit()).as("%s", approved).isZero();
        assertThat(approved.out()).contains("steward memory upkeep --apply for local (5 stale): run ");
        assertThat(steward.run("memory", "list").out()).contains("Nothing remembered yet");
        assertThat(steward.run("improve", "history").out()).contains("Proposal " + id);

        Result rolledBack = steward.run("improve", "rollback", id);
        assertThat(rolledBack.exit()).as("%s", rolledBack).isZero();
        assertThat(steward.run("memory", "list").out()).contains("Dr Quill", "Nordbank", "Miso");
    }

    private static String askedTask(StewardProcess steward, String request) {
        Result asked = steward.run("ask", "--json", request);
        return Json.parse(asked.out()).get("id").asText();
    }
}
