package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import dev.steward.app.StewardProcess.Running;
import dev.steward.actions.BuiltinTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/** steward tools, approvals and audit as a user runs them: separate processes on one home. */
class ActionsCliTest {
    @TempDir
    Path temp;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void escapesAreRefusedAndAuditedDeletesWaitForApprovalAndTheAuditChainHolds() throws Exception {
        Path home = temp.resolve("home");
        StewardProcess steward = StewardProcess.in(home).with("FAKE_SECRET_TOKEN", "hunter2-fake-secret");

        Result escape = steward.run("tools", "call", "files.read", "{\"path\":\"../../etc/passwd\"}");
        assertThat(escape.exit()).as("%s", escape).isEqualTo(Main.TASK_FAILED);
        assertThat(escape.err()).as("%s", escape).contains("refused path '../../etc/passwd'", "leads out of the workspace");
        assertThat(escape.out()).doesNotContain("root:");

        Files.writeString(home.resolve("workspace/old.txt"), "delete me");
        Running list = steward.start("tools", "list");
        Running delete = steward.start("tools", "call", "files.delete", "{\"path\":\"old.txt\"}");
        Running badJson = steward.start("tools", "call", "files.read", "{nope");
        Result tools = list.finish();
        Result asked = delete.finish();
        Result usage = badJson.finish();

        assertThat(tools.exit()).isZero();
        assertThat(tools.out()).contains("files.read", "files.delete", "shell.run", "http.fetch", "sql.query");
        assertThat(usage.exit()).as("%s", usage).isEqualTo(Main.USAGE);
        assertThat(asked.exit()).as("%s", asked).isEqualTo(Main.NEEDS_APPROVAL);
        Matcher id = Pattern.compile("Approval needed: (\\w+)").matcher(asked.out());
        assertThat(id.find()).as("%s", asked).isTrue();
        assertThat(home.resolve("workspace/old.txt")).exists();

        Result pending = steward.run("approvals", "list");
        assertThat(pending.out()).contains(id.group(1), "files.delete", "pending");
        Result shown = steward.run("approvals", "show", id.group(1));
        assertThat(shown.exit()).as("%s", shown).isZero();
        assertThat(shown.out()).contains("Approval " + id.group(1) + " — pending", "files.delete (write)",
                "configured to need approval", "old.txt", "steward approvals approve " + id.group(1))
                .doesNotContain("read before this request");
        assertThat(steward.run("approvals", "show", "nosuchid").err()).contains("no approval 'nosuchid'");
        Result approved = steward.run("approvals", "approve", id.group(1));
        assertThat(approved.exit()).as("%s", approved).isZero();
        assertThat(home.resolve("workspace/old.txt")).doesNotExist();
        Result again = steward.run("approvals", "approve", id.group(1));
        assertThat(again.exit()).as("%s", again).isEqualTo(Main.TASK_FAILED);
        assertThat(again.err()).contains("already done");

        if (BuiltinTools.sandboxAvailable()) {
            Result env = steward.run("tools", "call", "shell.run", "{\"command\":\"env; cat /proc/1/environ\"}");
            assertThat(env.exit()).as("%s", env).isZero();
            assertThat(env.out()).contains("HOME=/workspace").doesNotContain("hunter2-fake-secret", "STEWARD_HOME");
        }

        Result audit = steward.run("audit", "list", "--tool", "files.read");
        assertThat(audit.out()).as("%s", audit).contains("../../etc/passwd", "failed");
        Result deletes = steward.run("audit", "list", "--tool", "files.delete", "--json");
        assertThat(deletes.out()).contains("\"requested\"", "\"approved\"", "\"ok\"");
        Result verify = steward.run("audit", "verify");
        assertThat(verify.exit()).as("%s", verify).isZero();
        assertThat(verify.out()).contains("intact");

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("steward.db"));
             Statement s = c.createStatement()) {
            s.execute("UPDATE audit_log SET arguments = '{\"path\":\"harmless.txt\"}' WHERE seq = 2");
        }
        Result broken = steward.run("audit", "verify");
        assertThat(broken.exit()).as("%s", broken).isEqualTo(Main.TASK_FAILED);
        assertThat(broken.err()).contains("row 2", "edited");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void withoutBubblewrapTheShellIsDisabledNeverUnsandboxed() {
        assertThat(BuiltinTools.sandboxAvailable()).as("this test needs bubblewrap: sudo apt-get install bubblewrap").isTrue();
        // A PATH without bwrap: the tool says how to install it, and runs nothing.
        StewardProcess steward = StewardProcess.in(temp.resolve("nobwrap")).with("PATH", "/nonexistent");
        Result result = steward.run("tools", "call", "shell.run", "{\"command\":\"touch ran.txt\"}");
        if (Files.isExecutable(Path.of("/usr/bin/bwrap"))) {
            // findBwrap also looks in /usr/bin; the run is sandboxed either way
            assertThat(result.exit()).as("%s", result).isZero();
        } else {
            assertThat(result.exit()).isEqualTo(Main.TASK_FAILED);
            assertThat(result.err()).contains("bubblewrap", "apt-get install bubblewrap");
            assertThat(temp.resolve("nobwrap/workspace/ran.txt")).doesNotExist();
        }
    }
}
