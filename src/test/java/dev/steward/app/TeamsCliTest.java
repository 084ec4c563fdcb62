package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Teams, team-scoped memory, export and purge from the command line. */
class TeamsCliTest {
    @TempDir
    Path temp;

    private static Result ok(Result result) {
        return result.ok();
    }

    private static Result usage(Result result, String... said) {
        assertThat(result.exit()).as("%s", result).isEqualTo(Main.USAGE);
        assertThat(result.err()).as("%s", result).contains(said);
        return result;
    }

    @Test
    void teamsScopeExportAndPurge() {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        ok(steward.run("users", "add", "alice", "--role", "standard"));
        usage(steward.run("teams", "add", "ops", "--members", "nobody"), "no user 'nobody'", "steward users list");
        ok(steward.run("teams", "add", "sales", "--members", "local,alice"));
        assertThat(ok(steward.run("teams", "list")).out()).contains("sales: alice, local");
        usage(steward.run("memory", "add", "--scope", "team:ops", "our target is 2M"), "no team 'ops'");
        usage(steward.run("memory", "add", "--scope", "everyone", "our target is 2M"), "team:NAME");
        assertThat(ok(steward.run("memory", "add", "--scope", "team:sales", "our target is 2M")).out())
                .contains("2M is your target");

        assertThat(ok(steward.run("users", "export", "alice")).out()).contains("\"format\" : \"steward-user\"",
                "\"name\" : \"alice\"", "\"sales\"");
        usage(steward.run("users", "export", "nobody"), "no user 'nobody'");
        assertThat(ok(steward.run("users", "remove", "alice", "--purge")).out()).contains("Removed alice", "purged");
        assertThat(ok(steward.run("teams", "list")).out()).contains("sales: local").doesNotContain("alice");
        usage(steward.run("users", "remove", "local", "--purge"), "'local'");
    }
}
