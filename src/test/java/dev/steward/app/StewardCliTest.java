package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.app.StewardProcess.Result;
import dev.steward.app.StewardProcess.Running;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code steward} command as a user meets it: each run is a separate process with a clean environment (no
 * provider variables, no locale), so Steward is offline. Independent runs start side by side to keep this fast.
 */
class StewardCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** The answer, in one line or many, and nothing that reads like a crash. */
    private static void assertNoStackTrace(Result result) {
        assertThat(result.err()).as("%s", result).doesNotContain("Exception", "\tat ");
        assertThat(result.out()).as("%s", result).doesNotContain("Exception", "\tat ");
    }

    private static void assertOneLineError(Result result) {
        assertThat(result.exit()).as("%s", result).isEqualTo(Main.USAGE);
        assertThat(result.out()).as("%s: nothing on stdout", result).isEmpty();
        assertThat(result.errLines()).as("%s: exactly one line on stderr", result).hasSize(1);
        assertThat(result.err()).as("%s", result).startsWith("steward: ");
        assertNoStackTrace(result);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @DisplayName("ask, then look from other processes")
    class AskThenLook {
        Result hello;
        Result json;
        JsonNode record;
        Result list;
        Result stats;
        Result show;
        Result showUnknown;

        @BeforeAll
        void twoProcessesAskThenOthersLook(@TempDir Path home) throws IOException {
            StewardProcess steward = StewardProcess.in(home.resolve("steward-home"));
            // The first two runs share a home that does not exist yet: both create it, migrate and write.
            Running askHello = steward.start("ask", "hello");
            Running askJson = steward.start("ask", "--json", "what can you do?");
            hello = askHello.finish();
            json = askJson.finish();
            record = json.exit() == 0 ? JSON.readTree(json.out()) : JSON.createObjectNode();
            String id = record.path("id").asText("missing-id");

            Running tasksList = steward.start("tasks", "list");
            Running statsJson = steward.start("stats", "--json");
            Running tasksShow = steward.start("tasks", "show", id.substring(0, Math.min(6, id.length())));
            Running tasksShowUnknown = steward.start("tasks", "show", "nope");
            list = tasksList.finish();
            stats = statsJson.finish();
            show = tasksShow.finish();
            showUnknown = tasksShowUnknown.finish();
        }

        @Test
        void askPrintsAGreetingOnStdoutAndOnlyNoticesOnStderr() {
            assertThat(hello.exit()).as("%s", hello).isZero();
            assertThat(hello.out()).as("%s", hello).containsIgnoringCase("hello");
            assertThat(hello.errLines()).as("%s: stderr holds only notices and progress", hello)
                    .allSatisfy(line -> assertThat(line).matches("(steward: |\\[).*"));
            assertThat(hello.err()).as("%s: says it is offline and how to connect", hello).contains("offline", "steward doctor");
            assertNoStackTrace(hello);
        }

        @Test
        void askJsonPrintsTheTaskRecordAndNothingElse() {
            assertThat(json.exit()).as("%s", json).isZero();
            assertThat(record.path("id").asText()).isNotBlank();
            assertThat(record.path("status").asText()).isEqualTo("done");
            assertThat(record.path("intent").asText()).isNotBlank();
            assertThat(record.path("model").asText()).isEqualTo("offline");
            assertThat(record.path("tokens_in").isIntegralNumber()).as("tokens_in in %s", record).isTrue();
            assertThat(record.path("tokens_out").asLong()).as("tokens_out in %s", record).isPositive();
            assertThat(record.path("cost_usd").isNumber()).as("cost_usd in %s", record).isTrue();
            assertThat(record.path("duration_ms").isIntegralNumber()).as("duration_ms in %s", record).isTrue();
            assertThat(record.path("answer").asText()).isNotBlank();
            assertThat(record.path("input").asText()).isEqualTo("what can you do?");
        }

        @Test
        void jsonKeepsEveryCharacterEvenWithoutALocale() {
            assertThat(json.out()).as("no character was replaced by '?'").doesNotContain("\uFFFD", " ? ");
            assertThat(show.out()).as("%s", show).contains(" — done");
        }

        @Test
        void anotherProcessListsBothTasks() {
            assertThat(list.exit()).as("%s", list).isZero();
            assertThat(list.outLines().get(0)).as("a header").contains("ID", "STATUS", "INTENT", "MODEL");
            assertThat(list.out()).contains(record.path("id").asText(), "what can you do?", "hello");
            assertThat(list.outLines()).as("%s", list).hasSize(3);
            assertThat(list.err()).as("%s", list).isEmpty();
        }

        @Test
        void anotherProcessCountsBothTasksInStats() throws IOException {
            assertThat(stats.exit()).as("%s", stats).isZero();
            JsonNode report = JSON.readTree(stats.out());
            for (String period : List.of("all_time", "last24h")) {
                JsonNode p = report.path(period);
                assertThat(p.path("tasks").asLong()).as("%s tasks in %s", period, report).isEqualTo(2);
                assertThat(p.path("tasks_by_status").path("done").asLong()).as(period).isEqualTo(2);
                long byIntent = 0;
                for (JsonNode n : p.path("tasks_by_intent")) {
                    byIntent += n.asLong();
                }
                assertThat(byIntent).as("%s tasks by intent in %s", period, report).isEqualTo(2);
                assertThat(p.path("tasks_by_intent").has(record.path("intent").asText())).isTrue();
                assertThat(p.path("models")).as("%s models", period).anySatisfy(m -> {
                    assertThat(m.path("model").asText()).isEqualTo("offline");
                    assertThat(m.path("calls").asLong()).isGreaterThanOrEqualTo(2);
                });
                assertThat(p.path("tokens_out").asLong()).isPositive();
                assertThat(p.has("cost_micros")).isTrue();
            }
        }

        @Test
        void tasksShowFindsATaskByAPrefixOfItsIdWithItsEvents() {
            assertThat(show.exit()).as("%s", show).isZero();
            assertThat(show.out()).contains("Task " + record.path("id").asText(), "what can you do?", "Events:");
            List<String> events = show.outLines().stream()
                    .dropWhile(line -> !line.equals("Events:")).skip(1).toList();
            assertThat(events).as("%s", show).isNotEmpty();
            assertThat(events.get(0)).contains("started");
            assertThat(events.get(events.size() - 1)).contains("done");
        }

        @Test
        void tasksShowOfAnUnknownIdIsAUsageErrorWithAHint() {
            assertOneLineError(showUnknown);
            assertThat(showUnknown.err()).contains("'nope'", "steward tasks list");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void usageMistakesExitWith2AndOneLineOfExplanation() {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        Running empty = steward.start("ask", "");
        Running bogus = steward.start("ask", "--bogus", "hello");
        Result emptyResult = empty.finish();
        Result bogusResult = bogus.finish();

        assertOneLineError(emptyResult);
        assertThat(emptyResult.err()).contains("nothing to ask", "steward ask \"");
        assertOneLineError(bogusResult);
        assertThat(bogusResult.err()).contains("'--bogus'", "steward ask --help");
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void doctorPrintsOneLinePerCheckAndAFixForEachProblem() throws IOException {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        // Three machines: one with neither bubblewrap nor chromium; one where bwrap works (and warns on stderr),
        // chromium fails, and the configured model server is down; one whose database file is damaged.
        Path empty = Files.createDirectories(temp.resolve("empty-bin"));
        Path tools = Files.createDirectories(temp.resolve("bin"));
        script(tools.resolve("bwrap"), "echo 'some wrapper warning' >&2; echo 'bubblewrap 9.9.9'");
        script(tools.resolve("chromium"), "echo 'chromium: cannot open display' >&2; exit 1");
        Running bare = steward.with("PATH", empty.toString()).start("doctor");
        Running broken = steward.with("PATH", tools + ":" + System.getenv("PATH"))
                .with("OPENAI_BASE_URL", "http://127.0.0.1:" + closedPort() + "/v1").start("doctor");
        Path damagedHome = Files.createDirectories(temp.resolve("damaged"));
        Files.writeString(damagedHome.resolve("steward.db"), "this is not a database");
        Running damaged = StewardProcess.in(damagedHome).start("doctor");

        Result result = bare.finish();
        assertThat(result.exit()).as("%s: warnings only", result).isZero();
        List<Check> checks = checks(result);
        assertThat(checks).extracting(Check::name)
                .containsExactly("java", "config", "home", "database", "models", "bubblewrap", "chromium");
        assertThat(checks).filteredOn(c -> List.of("java", "config", "home", "database").contains(c.name()))
                .allSatisfy(c -> assertThat(c.level()).as("%s", c).isEqualTo("ok"));
        assertThat(checks).filteredOn(c -> !c.level().equals("ok")).extracting(Check::name)
                .containsExactly("models", "bubblewrap", "chromium");
        assertThat(checks).filteredOn(c -> !c.level().equals("ok")).allSatisfy(
                c -> assertThat(c.fix()).as("a fix for %s", c).isNotBlank());
        assertThat(checks.get(4).fix()).contains("OLLAMA_HOST", "OPENAI_BASE_URL", "OPENAI_API_KEY", "ANTHROPIC_API_KEY");
        assertThat(checks.get(5).fix()).contains("apt-get install bubblewrap");
        assertThat(checks.get(6).fix()).contains("apt-get install chromium");
        assertThat(result.outLines().get(result.outLines().size() - 1)).startsWith("Steward is ready (3 warning(s)");
        assertThat(result.err()).as("%s", result).isEmpty();

        Result down = broken.finish();
        assertThat(down.exit()).as("%s: a provider that cannot be reached fails the check", down).isEqualTo(1);
        Map<String, Check> byName = new java.util.HashMap<>();
        checks(down).forEach(c -> byName.put(c.name(), c));
        assertThat(byName.get("model:openai")).satisfies(c -> {
            assertThat(c.level()).isEqualTo("FAIL");
            assertThat(c.detail()).contains("unreachable");
            assertThat(c.fix()).contains("OPENAI_BASE_URL");
        });
        assertThat(byName.get("bubblewrap")).isEqualTo(new Check("ok", "bubblewrap", "bubblewrap 9.9.9", null));
        assertThat(byName.get("chromium")).satisfies(c -> {
            assertThat(c.level()).isEqualTo("warn");
            assertThat(c.detail()).contains("failed", "cannot open display");
            assertThat(c.fix()).contains("apt-get install chromium");
        });
        assertThat(down.outLines().get(down.outLines().size() - 1)).contains("1 check(s) failed");

        Result damagedResult = damaged.finish();
        assertThat(damagedResult.exit()).as("%s", damagedResult).isEqualTo(1);
        assertThat(checks(damagedResult)).filteredOn(c -> c.name().equals("database")).singleElement().satisfies(c -> {
            assertThat(c.level()).isEqualTo("FAIL");
            assertThat(c.fix()).contains("move it away").doesNotContain("steward doctor");
        });
        assertNoStackTrace(damagedResult);
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        assertThat(file.toFile().setExecutable(true)).isTrue();
    }

    record Check(String level, String name, String detail, String fix) {}

    /** Doctor's report: "LEVEL  name  detail", then "      fix: ..." under a line that has one. */
    private static List<Check> checks(Result result) {
        Pattern line = Pattern.compile("(ok|warn|FAIL) +(\\S+) +(.*)");
        List<Check> checks = new ArrayList<>();
        List<String> lines = result.outLines();
        for (int i = 0; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            Matcher m = line.matcher(lines.get(i));
            assertThat(m.matches()).as("line %d of %s", i + 1, result).isTrue();
            String fix = null;
            if (i + 1 < lines.size() && lines.get(i + 1).startsWith("      fix: ")) {
                fix = lines.get(++i).substring("      fix: ".length());
            }
            checks.add(new Check(m.group(1), m.group(2), m.group(3), fix));
        }
        return checks;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void configShowMasksSecretsAndConfigPathPrintsTheFile() {
        StewardProcess steward = StewardProcess.in(temp.resolve("home")).with("OPENAI_API_KEY", "sk-test-1234567890abcd");
        Running show = steward.start("config", "show");
        Running urls = steward
                .with("STEWARD_DATABASE_URL", "jdbc:postgresql://db:5432/steward?user=me&password=hunter2-db")
                .with("OLLAMA_HOST", "http://me:hunter2-ollama@gpu:11434")
                .start("config", "show", "--json");
        Running path = steward.start("config", "path");
        Result shown = show.finish();
        Result pathResult = path.finish();

        assertThat(shown.exit()).as("%s", shown).isZero();
        assertThat(shown.out()).contains("****abcd", "OPENAI_API_KEY", "https://api.openai.com/v1", "mode: auto")
                .doesNotContain("sk-test-1234567890abcd", "sk-test");
        Result urlsResult = urls.finish();
        assertThat(urlsResult.exit()).as("%s", urlsResult).isZero();
        assertThat(urlsResult.out()).as("passwords inside URLs are secrets too")
                .contains("password=****", "http://me:****@gpu:11434").doesNotContain("hunter2", "sk-test");
        assertThat(pathResult.exit()).as("%s", pathResult).isZero();
        assertThat(pathResult.out().strip()).isEqualTo(steward.home().resolve("steward.yaml").toString());
        assertThat(steward.home().resolve("steward.yaml")).exists();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aBrokenConfigurationIsOneLineNamingFileLineAndKey() throws IOException {
        Path home = temp.resolve("home");
        Files.createDirectories(home);
        Path file = home.resolve("steward.yaml");
        Files.writeString(file, "# mine\nrouting:\n  mode: fastest\n");
        StewardProcess steward = StewardProcess.in(home);
        Running plain = steward.start("ask", "hello");
        Running debug = steward.start("--debug", "ask", "hello");
        Running doctor = steward.start("doctor");

        Result result = plain.finish();
        assertOneLineError(result);
        assertThat(result.err()).contains(file + ":3", "routing.mode", "use one of: offline, local, cloud, auto, hybrid");

        Result debugged = debug.finish();
        assertThat(debugged.exit()).as("%s", debugged).isEqualTo(Main.USAGE);
        assertThat(debugged.err()).as("%s: --debug shows where", debugged).contains("\tat ", file + ":3");

        Result doctored = doctor.finish();
        assertThat(doctored.exit()).as("%s", doctored).isEqualTo(1);
        assertThat(checks(doctored)).filteredOn(c -> c.name().equals("config")).singleElement().satisfies(c -> {
            assertThat(c.level()).isEqualTo("FAIL");
            assertThat(c.detail()).contains(file + ":3", "routing.mode");
            assertThat(c.fix()).isNotBlank();
        });
        assertNoStackTrace(doctored);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void helpAndVersion() {
        StewardProcess steward = StewardProcess.in(temp.resolve("home"));
        Running help = steward.start("--help");
        Running version = steward.start("--version");
        Result helpResult = help.finish();
        Result versionResult = version.finish();

        assertThat(helpResult.exit()).as("%s", helpResult).isZero();
        assertThat(helpResult.out()).startsWith("Usage: steward ")
                .contains("ask", "chat", "tasks", "stats", "doctor", "config", "Exit codes:");
        assertThat(versionResult.exit()).as("%s", versionResult).isZero();
        assertThat(versionResult.outLines()).singleElement().asString().matches("steward \\S+.*");
        assertThat(temp.resolve("home")).as("--help and --version touch nothing").doesNotExist();
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void chatReadsLinesFromAPipe() {
        Result result = StewardProcess.in(temp.resolve("home")).startWithInput("hello\n/status\n/exit\nnever read\n", "chat")
                .finish();

        assertThat(result.exit()).as("%s", result).isZero();
        assertThat(result.outLines()).as("%s: an answer, then the status, then nothing", result).hasSize(2);
        assertThat(result.outLines().get(0)).containsIgnoringCase("hello");
        assertThat(result.outLines().get(1)).contains("Mode: offline", "tasks: 1 (done 1)");
        assertThat(result.out()).as("no prompts in a pipe").doesNotContain("you ›", "steward ›");
        assertThat(result.err()).as("%s: the banner", result).contains("offline", "steward doctor");
        assertNoStackTrace(result);
    }
}
