package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code --help} works on every command and subcommand, found by walking the command tree so that a new command
 * is covered without touching this test. In-process through {@link Main#run}: one JVM per command would be slow,
 * and StewardCliTest already runs --help as a separate process.
 */
class HelpTest {
    @TempDir
    static Path home;

    static Stream<String> commands() {
        List<String> paths = new ArrayList<>();
        walk(new CommandLine(new StewardCommand(Map.of())), "", paths);
        return paths.stream();
    }

    private static void walk(CommandLine command, String path, List<String> out) {
        out.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                walk(sub, (path + " " + name).strip(), out);
            }
        });
    }

    @ParameterizedTest(name = "steward {0} --help")
    @MethodSource("commands")
    void helpPrintsUsageOnStdoutAndExits0(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add("--help");

        Output output = run(args.toArray(String[]::new));

        assertThat(output.exit()).as("%s", output).isZero();
        assertThat(output.out()).startsWith(("Usage: steward " + command).strip() + " ");
        assertThat(output.out().lines().skip(1).findFirst()).as("a description under the usage line")
                .hasValueSatisfying(line -> assertThat(line).isNotBlank());
        assertThat(output.out()).contains("-h, --help");
        assertThat(output.err()).as("%s", output).isEmpty();
    }

    @ParameterizedTest(name = "steward help {0}")
    @MethodSource("commands")
    void theHelpCommandShowsTheSameUsage(String command) {
        List<String> args = new ArrayList<>(List.of("help"));
        if (!command.isEmpty()) {
            args.add(command.split(" ")[0]);
        }

        Output output = run(args.toArray(String[]::new));

        assertThat(output.exit()).as("%s", output).isZero();
        assertThat(output.out()).startsWith("Usage: steward");
    }

    record Output(int exit, String out, String err) {}

    private static Output run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int exit = Main.run(args, Map.of("STEWARD_HOME", home.resolve("steward").toString()));
            return new Output(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
