package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A command line that cannot run as written: exit 2 and one line that says what is wrong and where help is.
 * In-process through {@link Main#run}; StewardCliTest checks the same as a separate process for two cases. A
 * STEWARD_* variable that is not a setting is the exception: a warning, and the command runs.
 */
class UsageErrorTest {
    @TempDir
    Path home;

    @ParameterizedTest(name = "steward {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            aks hello                | unknown command 'aks'; did you mean ask? (see 'steward --help')
            frobnicate               | unknown command 'frobnicate' (see 'steward --help')
            stat                     | unknown command 'stat'; did you mean stats or state? (see 'steward --help')
            ask --jsn hello          | unknown option '--jsn'; did you mean --json? (see 'steward ask --help')
            ask -x hello             | unknown option '-x' (see 'steward ask --help')
            --bogus                  | unknown option '--bogus' (see 'steward --help')
            tasks lst                | unknown command 'lst'; did you mean list? (see 'steward tasks --help')
            tasks list --limt=3      | unknown option '--limt=3'; did you mean --limit? (see 'steward tasks list --help')
            tasks list extra         | unexpected argument 'extra' (see 'steward tasks list --help')
            tasks list --limit x     | 'x' is not an int (see 'steward tasks list --help')
            tasks list --limit 0     | --limit must be at least 1
            approvals list --limit 0 | --limit must be at least 1
            memory search x --limit 0 | --limit must be at least 1
            tasks list --status nah  | unknown status 'nah'; use one of: queued,
            tasks show               | Missing required parameter: 'ID' (see 'steward tasks show --help')
            ask                      | nothing to ask
            bench memory --fit --locomo one.json | --fit needs two or more --locomo conversations
            bench memory --locomo a.json --weights 1,2 | --weights: expected 9 weights, got 2
            bench memory --embedder bge | --embedder: unknown embedder 'bge': use e5-small, minilm or hashing
            """)
    void exitsWith2AndOneLine(String commandLine, String explanation) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = run(commandLine.split(" "), Map.of(), stdout, stderr);

        String err = stderr.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(err).isEqualTo(Main.USAGE);
        assertThat(err.lines().toList()).as("one line").hasSize(1);
        assertThat(err).startsWith("steward: ").contains(explanation);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void textThatStartsWithADashGetsAHintToPutDashDashBeforeIt() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        int exit = run(new String[] {"ask", "-what is -5 in F?"}, Map.of(), stdout, stderr);

        assertThat(exit).isEqualTo(Main.USAGE);
        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .contains("if that is text, put -- before it: steward ask -- \"-what is -5 in F?\"");
    }

    @Test
    void suggestionsAreOnlyForLikelyTypos() {
        List<String> commands = List.of("ask", "chat", "tasks", "stats", "doctor", "config");
        assertThat(Main.nearest("aks", commands)).containsExactly("ask");
        assertThat(Main.nearest("docter", commands)).containsExactly("doctor");
        assertThat(Main.nearest("taks", commands)).containsExactly("tasks");
        assertThat(Main.nearest("x", commands)).isEmpty();
        assertThat(Main.nearest("hello", commands)).isEmpty();
        assertThat(Main.nearest("-x", List.of("-h", "-V", "--json"))).isEmpty();
    }

    @ParameterizedTest(name = "STEWARD_DEBUG={0}")
    @CsvSource({"0, false", "false, false", "'', false", "1, true", "yes, true"})
    void aConfigurationMistakeShowsAStackTraceOnlyWhenDebugIsAskedFor(String value, boolean trace) throws IOException {
        Files.writeString(home.resolve("steward.yaml"), "routing:\n  mode: fastest\n");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        int exit = run(new String[] {"ask", "hello"}, Map.of("STEWARD_DEBUG", value), stdout, stderr);

        String err = stderr.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(Main.USAGE);
        assertThat(err).contains(home.resolve("steward.yaml") + ":2", "routing.mode");
        if (trace) {
            assertThat(err).contains("\tat ");
        } else {
            assertThat(err.lines().toList()).as(err).hasSize(1);
        }
    }

    @Test
    void aStewardVariableThatIsNotASettingIsAWarningNotAnError() {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        int exit = run(new String[] {"config", "path"}, Map.of("STEWARD_ROUTNG_MODE", "local"), stdout, stderr);

        assertThat(exit).as(stderr.toString(StandardCharsets.UTF_8)).isEqualTo(Main.OK);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(home.resolve("steward.yaml") + "\n");
        assertThat(stderr.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly("steward: warning: "
                + "STEWARD_ROUTNG_MODE is not a Steward setting (did you mean STEWARD_ROUTING_MODE?); ignored");
    }

    private int run(String[] args, Map<String, String> env, ByteArrayOutputStream stdout, ByteArrayOutputStream stderr) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            Map<String, String> all = new java.util.HashMap<>(env);
            all.put("STEWARD_HOME", home.toString());
            return Main.run(args, all);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
