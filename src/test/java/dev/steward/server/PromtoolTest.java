package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus' own checker on deploy/prometheus: the scrape config and the alert rules parse, and the rules' unit
 * tests (each alert fires when it should, and only then) pass. promtool comes with Debian's prometheus package.
 */
class PromtoolTest {
    static final Path PROMETHEUS = Path.of("deploy/prometheus");

    record Result(int exit, String output) {}

    @Test
    void theScrapeConfigIsValid() throws Exception {
        Result result = promtool("check", "config", "--syntax-only", "prometheus.yml");
        assertThat(result.exit()).as(result.output()).isZero();
    }

    @Test
    void theAlertRulesAreValid() throws Exception {
        Result result = promtool("check", "rules", "rules/steward.rules.yml");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 7 rules found");
    }

    @Test
    void theAlertRulesPassTheirUnitTests() throws Exception {
        Result result = promtool("test", "rules", "tests/steward.rules.test.yml");
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void promtoolFailsARuleThatDoesNotFireAsItsTestExpects(@TempDir Path dir) throws Exception {
        // The unit tests can fail: the same tests against a disk alert that never fires do.
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("steward.rules.yml"), Files.readString(
                PROMETHEUS.resolve("rules/steward.rules.yml")).replace("< 0.1", "< 0.01"));
        Path tests = Files.createDirectories(dir.resolve("tests"));
        Files.copy(PROMETHEUS.resolve("tests/steward.rules.test.yml"), tests.resolve("steward.rules.test.yml"));
        Result result = run(dir, "test", "rules", "tests/steward.rules.test.yml");
        assertThat(result.exit()).isNotZero();
        assertThat(result.output()).contains("StewardDiskLow");
    }

    private static Result promtool(String... args) throws IOException, InterruptedException {
        return run(PROMETHEUS, args);
    }

    private static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
