package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.InProcessCli.Run;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schedule, crew and skill subcommands that act on one thing by name, in-process through {@link Main#run}
 * (ScheduleServeTest runs add, list and run as a separate process): each acts on the thing named and says so,
 * and an unknown name is a usage error that names the fix.
 */
class AutomationCommandsTest {
    @TempDir
    Path home;

    private Run steward(String... args) {
        return InProcessCli.run(home, "", args);
    }

    @Test
    void aScheduleIsPausedResumedShownAndRemovedByName() {
        assertThat(steward("schedules", "add", "digest", "--cron", "0 7 * * *", "--task", "status").exit()).isZero();

        assertThat(steward("schedules", "pause", "digest").out()).contains("Paused digest.");
        assertThat(steward("schedules", "list").out()).contains("digest", "paused");
        assertThat(steward("schedules", "resume", "digest").out()).contains("Resumed digest; next run");
        assertThat(steward("schedules", "show", "digest").out()).contains("digest", "status");
        assertThat(steward("schedules", "history", "digest").out()).contains("No runs of digest yet.");
        assertThat(steward("schedules", "remove", "digest").out()).contains("Removed digest.");

        Run unknown = steward("schedules", "pause", "digest");
        assertThat(unknown.exit()).as("%s", unknown).isNotZero();
        assertThat(unknown.err()).contains("digest");
    }

    @Test
    void aBundledCrewIsShownByName() {
        Run shown = steward("crews", "show", "maintenance");

        assertThat(shown.exit()).as("%s", shown).isZero();
        assertThat(shown.out()).startsWith("maintenance — ").contains("1. ");
        assertThat(steward("crews", "show", "maintenance", "--json").out()).contains("\"name\" : \"maintenance\"");
    }

    @Test
    void aSkillIsDisabledAndEnabledByName() {
        assertThat(steward("skills", "new", "weekly-report").exit()).isZero();

        assertThat(steward("skills", "disable", "weekly-report").out()).contains("Disabled weekly-report.");
        assertThat(steward("skills", "enable", "weekly-report").out()).contains("Enabled weekly-report.");

        Run unknown = steward("skills", "disable", "missing");
        assertThat(unknown.exit()).as("%s", unknown).isEqualTo(Main.USAGE);
        assertThat(unknown.err()).contains("missing");
    }

    @Test
    void listingsTakeALimitAndJsonAndRefuseALimitBelowOne() {
        Run none = steward("approvals", "list", "--limit", "5", "--json");
        assertThat(none.exit()).as("%s", none).isZero();
        assertThat(none.out().strip()).isEqualTo("[ ]");

        Run zero = steward("audit", "list", "--limit", "0");
        assertThat(zero.exit()).as("%s", zero).isEqualTo(Main.USAGE);
        assertThat(zero.err()).contains("--limit");
    }
}
