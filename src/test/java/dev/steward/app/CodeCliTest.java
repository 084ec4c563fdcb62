package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** steward code as a user runs it without a model: a usage error that says how to connect one, and nothing recorded. */
class CodeCliTest {
    @TempDir
    Path home;

    @Test
    void withoutAModelItIsAUsageErrorNamingTheFixAndApplyNeedsACodeTask() throws Exception {
        Files.createDirectories(home.resolve("workspace/calc"));
        StewardProcess steward = StewardProcess.in(home);

        Result offline = steward.run("code", "add mul", "--project", "calc", "--test", "true");
        assertThat(offline.exit()).as("%s", offline).isEqualTo(Main.USAGE);
        assertThat(offline.err()).contains("needs a model").contains("providers:");

        Result missing = steward.run("code", "add mul");
        assertThat(missing.exit()).as("%s", missing).isEqualTo(Main.USAGE);
        assertThat(missing.err()).contains("--project");

        Result apply = steward.run("code", "apply", "nope");
        assertThat(apply.exit()).as("%s", apply).isEqualTo(Main.USAGE);
        assertThat(apply.err()).contains("no task 'nope'");
    }
}
