package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
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

    record Output(int exit, String out, String err) {}

    private Output steward(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int exit = Main.run(args, Map.of("STEWARD_HOME", home.toString()));
            return new Output(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
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

        Output unknown = steward("schedules", "pause", "digest");
        assertThat(unknown.exit()).as("%s", unknown).isNotZero();
        assertThat(unknown.err()).contains("digest");
    }

    @Test
    void aBundledCrewIsShownByName() {
        Output shown = steward("crews", "show", "maintenance");

        assertThat(shown.exit()).as("%s", shown).isZero();
        assertThat(shown.out()).startsWith("maintenance — ").contains("1. ");
        assertThat(steward("crews", "show", "maintenance", "--json").out()).contains("\"name\" : \"maintenance\"");
    }

    @Test
    void aSkillIsDisabledAndEnabledByName() {
        assertThat(steward("skills", "new", "weekly-report").exit()).isZero();

        assertThat(steward("skills", "disable", "weekly-report").out()).contains("Disabled weekly-report.");
        assertThat(steward("skills", "enable", "weekly-report").out()).contains("Enabled weekly-report.");

        Output unknown = steward("skills", "disable", "missing");
        assertThat(unknown.exit()).as("%s", unknown).isEqualTo(Main.USAGE);
        assertThat(unknown.err()).contains("missing");
    }

    @Test
    void listingsTakeALimitAndJsonAndRefuseALimitBelowOne() {
        Output none = steward("approvals", "list", "--limit", "5", "--json");
        assertThat(none.exit()).as("%s", none).isZero();
        assertThat(none.out().strip()).isEqualTo("[ ]");

        Output zero = steward("audit", "list", "--limit", "0");
        assertThat(zero.exit()).as("%s", zero).isEqualTo(Main.USAGE);
        assertThat(zero.err()).contains("--limit");
    }
}
