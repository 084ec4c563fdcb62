package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import dev.steward.integrations.browser.LocalSite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** steward research as a user runs it, offline, over a site on loopback: a cited report on stdout and on disk. */
class ResearchCliTest {
    @TempDir
    Path temp;

    @Test
    void anOfflineReportCitesItsSourcesAndIsSavedInTheWorkspace() throws Exception {
        Path home = temp.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("steward.yaml"), "actions:\n  http:\n    allow_private: true\n");
        try (LocalSite site = new LocalSite(Map.of("/hours", LocalSite.page("Opening hours",
                "<p>The shop opens at nine every weekday morning.</p><p>Parking is behind the building.</p>")))) {
            StewardProcess steward = StewardProcess.in(home);

            Result report = steward.run("research", "When does the shop open?", "--sources", site.url("/hours"),
                    "--out", "reports/hours.md");

            assertThat(report.exit()).as("%s", report).isEqualTo(Main.OK);
            assertThat(report.out()).contains("The shop opens at nine every weekday morning [1].")
                    .contains("[1] Opening hours — " + site.url("/hours"));
            assertThat(Files.readString(home.resolve("workspace/reports/hours.md"))).isEqualTo(report.out());
            Result noSources = steward.run("research", "When does the shop open?");
            assertThat(noSources.exit()).as("%s", noSources).isEqualTo(Main.USAGE);
            assertThat(noSources.err()).contains("--sources");
        }
    }
}
