package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command line that names a command gets a tree with that command only, and nothing a user can see tells the two
 * trees apart: every command's help and version read the same, the root keeps its options, and a line that needs
 * the whole tree (help, a typo, no command) gets it.
 */
class CommandTreeTest {
    /** Every command and subcommand, by walking the whole tree, so that a new command is covered by itself. */
    static Stream<String> commands() {
        List<String> paths = new ArrayList<>();
        walk(new CommandLine(new StewardCommand(Map.of())), "", paths);
        return paths.stream();
    }

    private static void walk(CommandLine command, String path, List<String> out) {
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                String named = (path + " " + name).strip();
                out.add(named);
                walk(sub, named, out);
            }
        });
    }

    @ParameterizedTest(name = "steward {0} --help")
    @MethodSource("commands")
    void theTreeOfOneCommandPrintsTheSameHelpAndVersionAsTheWholeTree(String command) {
        for (String flag : List.of("--help", "--version")) {
            List<String> words = new ArrayList<>(List.of(command.split(" ")));
            words.add(flag);
            String[] args = words.toArray(String[]::new);
            assertThat(CommandTree.invokedCommand(args)).isPresent();

            String whole = execute(() -> new CommandLine(new StewardCommand(Map.of())), args);
            String one = execute(() -> CommandTree.of(new StewardCommand(Map.of()), args), args);

            assertThat(one).as("steward %s %s", command, flag).isEqualTo(whole);
            if (flag.equals("--help")) {
                assertThat(one).startsWith("Usage: steward " + command + " ");
            }
        }
    }

    @Test
    void onlyTheNamedCommandIsBuiltUnderARootWithTheSameOptions() {
        CommandLine whole = new CommandLine(new StewardCommand(Map.of()));
        CommandLine one = CommandTree.of(new StewardCommand(Map.of()), new String[] {"--debug", "ask", "hello"});

        assertThat(one.getSubcommands()).containsOnlyKeys("ask");
        assertThat(one.getCommandName()).isEqualTo(whole.getCommandName());
        assertThat(names(one.getCommandSpec().options())).isEqualTo(names(whole.getCommandSpec().options()));
        assertThat(one.getSubcommands().get("ask").getCommandSpec().findOption("--debug"))
                .as("--debug is inherited after the command too").isNotNull();
        assertThat(one.parseArgs("--debug", "ask", "--debug", "hello").subcommand().commandSpec().name())
                .isEqualTo("ask");
    }

    @Test
    void aLineThatNamesNoCommandGetsTheWholeTree() {
        for (String[] args : List.of(new String[] {}, new String[] {"--help"}, new String[] {"help", "ask"},
                new String[] {"aks", "hello"}, new String[] {"--debug"}, new String[] {"-V", "ask"},
                new String[] {"--nonsense", "ask"})) {
            assertThat(CommandTree.invokedCommand(args)).as(String.join(" ", args)).isEmpty();
            assertThat(CommandTree.of(new StewardCommand(Map.of()), args).getSubcommands())
                    .containsKeys("ask", "serve", "tasks", "help");
        }
    }

    @Test
    void theRootUsageStillListsEveryCommand() {
        String usage = execute(() -> CommandTree.of(new StewardCommand(Map.of()), new String[] {"--help"}), "--help");

        assertThat(usage).contains("ask", "serve", "tasks", "memory", "doctor", "help");
    }

    private static List<String> names(List<OptionSpec> options) {
        return options.stream().map(o -> String.join(",", o.names()) + " " + o.scopeType()).sorted().toList();
    }

    /** What a command line prints, stdout and stderr, with its exit code; made after System.out is captured. */
    private static String execute(java.util.function.Supplier<CommandLine> tree, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
            System.setOut(capture);
            System.setErr(capture);
            int exit = tree.get().execute(args);
            return printed.toString(StandardCharsets.UTF_8) + "\nexit " + exit;
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
