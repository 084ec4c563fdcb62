package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entities as a user meets them, offline: said in chat, listed and shown by the CLI, asked about in chat. */
class MemoryEntitiesCliTest {
    @TempDir
    Path temp;

    private static Result ok(Result result) {
        return result.ok();
    }

    @Test
    void theAcmeSentenceBecomesEntitiesThatAnswerQuestionsOffline() {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        Result said = ok(steward.run("ask",
                "remember that my company is Acme Corp and Alice (alice@acme.com) is our CFO"));
        assertThat(said.out()).contains("Your company is Acme Corp", "Alice's email is alice@acme.com",
                "Alice is your CFO");
        ok(steward.run("memory", "add", "Bob leads our sales team"));

        assertThat(ok(steward.run("memory", "entities")).out())
                .contains("Alice", "email: alice@acme.com", "role: CFO", "works_at Acme Corp", "Acme Corp");
        assertThat(ok(steward.run("memory", "entity", "alice")).out())
                .contains("Alice (person)", "Attributes:", "role_at (CFO) Acme Corp", "Facts:", "Alice is your CFO");
        assertThat(ok(steward.run("memory", "entities", "--json")).out()).contains("\"relation\" : \"works_at\"");

        assertThat(ok(steward.run("ask", "who leads our sales team?")).out()).contains("Bob leads sales team");
        assertThat(ok(steward.run("ask", "what is Alice's email?")).out()).contains("alice@acme.com");

        Result unknown = steward.run("memory", "entity", "Zed");
        assertThat(unknown.exit()).isEqualTo(Main.USAGE);
        assertThat(unknown.err()).contains("no entity named 'Zed'", "steward memory entities");
    }
}
