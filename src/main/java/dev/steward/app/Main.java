package dev.steward.app;

import dev.steward.config.ConfigException;
import dev.steward.store.StoreException;
import dev.steward.support.Text;
import dev.steward.support.UsageException;
import dev.steward.telemetry.Tracing;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * The {@code steward} command. Exit codes: 0 success, 1 the task failed, 2 usage or configuration error, 3 the
 * action needs approval.
 */
public final class Main {
    public static final int OK = 0;
    public static final int TASK_FAILED = 1;
    public static final int USAGE = 2;
    public static final int NEEDS_APPROVAL = 3;
    /** A task stopped to ask the user a question: 'steward tasks answer ID "…"' carries it on. */
    public static final int WAITING_INPUT = 4;

    private Main() {}

    public static void main(String[] args) {
        utf8WhereTheLocaleSaysAscii();
        try {
            Tracing.start(System.getenv()); // off unless OTEL_* variables name an exporter
        } catch (ConfigException e) {
            System.err.println("steward: " + e.getMessage());
            System.exit(USAGE);
        }
        System.exit(run(args, System.getenv()));
    }

    /**
     * With no locale set (cron, containers, {@code env -i}) Java writes '?' for every character beyond ASCII, so
     * answers and {@code --json} records would lose text; UTF-8 is what any terminal or pipe there expects.
     */
    static void utf8WhereTheLocaleSaysAscii() {
        if (isAscii(System.getProperty("stdout.encoding"))) {
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        }
        if (isAscii(System.getProperty("stderr.encoding"))) {
            System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        }
    }

    private static boolean isAscii(String encoding) {
        try {
            return encoding != null && Charset.forName(encoding).equals(StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    /** Runs a command line against an environment; the tests call this in-process. */
    public static int run(String[] args, Map<String, String> env) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // Answered before picocli reads the annotations of every command: that is most of this command's time.
            System.out.println(new StewardCommand.VersionProvider().getVersion()[0]);
            return OK;
        }
        String debugVariable = env.getOrDefault("STEWARD_DEBUG", "").strip();
        boolean debug = !debugVariable.isEmpty() && !debugVariable.equals("0") && !debugVariable.equalsIgnoreCase("false")
                || java.util.Arrays.asList(args).contains("--debug");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        if (!debug) {
            // The MCP SDK logs an external server's failures with stack traces; Steward reports them itself
            // (steward mcp list, steward tools list), in a sentence.
            System.setProperty("org.slf4j.simpleLogger.log.io.modelcontextprotocol", "off");
            System.setProperty("org.slf4j.simpleLogger.log.reactor", "off");
            // The embedding models' runtime (DJL) warns, each time a model loads, that there is no GPU and that the
            // tokenizer uses the model's own length limit: both expected here, neither the user's to act on.
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl", "error");
        }
        StewardCommand steward = new StewardCommand(env);
        if (StewardPreload.worthIt(args)) {
            steward.preload(); // the configuration, database and memory index open while picocli builds its model
        }
        CommandLine cli = CommandTree.of(steward, args); // only the invoked command's model, when the line names one
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler((e, line, parsed) -> failure(e, line.getErr(), debug));
        try {
            return cli.execute(args);
        } finally {
            steward.close();
        }
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        String problem = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            boolean option = first.startsWith("-");
            Set<String> candidates = option ? command.getCommandSpec().optionsMap().keySet()
                    : command.getSubcommands().keySet();
            problem = option ? "unknown option '" + first + "'"
                    : candidates.isEmpty() ? "unexpected argument '" + first + "'"
                    : "unknown command '" + first + "'";
            List<String> near = nearest(first.contains("=") ? first.substring(0, first.indexOf('=')) : first, candidates);
            if (!near.isEmpty()) {
                problem += "; did you mean " + String.join(" or ", near) + "?";
            } else if (option && (first.matches("-\\d.*") || first.contains(" "))
                    && !command.getCommandSpec().positionalParameters().isEmpty()) {
                problem += "; if that is text, put -- before it: " + command.getCommandSpec().qualifiedName()
                        + " -- \"" + first + "\"";
            }
        }
        command.getErr().println("steward: " + problem + " (see '" + name + " --help')");
        return USAGE;
    }

    /** The candidates nearest to a mistyped word, if near enough to be a typo. */
    static List<String> nearest(String word, Collection<String> candidates) {
        int best = Math.max(1, word.length() / 3);
        List<String> near = new ArrayList<>();
        for (String candidate : candidates) {
            int d = Text.distance(word, candidate);
            if (2 * d >= word.length()) {
                continue;
            }
            if (d < best) {
                best = d;
                near.clear();
            }
            if (d == best) {
                near.add(candidate);
            }
        }
        return near.size() > 3 ? List.of() : near;
    }

    private static int failure(Exception e, PrintWriter err, boolean debug) {
        if (debug) {
            e.printStackTrace(err);
        }
        if (e instanceof ConfigException config) {
            err.println("steward: configuration error in " + config.getMessage());
            return USAGE;
        }
        if (e instanceof UsageException usage) {
            err.println("steward: " + usage.getMessage());
            return USAGE;
        }
        if (e instanceof dev.steward.actions.ToolException refused) {
            err.println("steward: " + refused.getMessage());
            return TASK_FAILED;
        }
        if (e instanceof dev.steward.learning.LearningException learning) {
            err.println("steward: " + learning.getMessage() + (learning.hint() == null ? "" : " — " + learning.hint()));
            return TASK_FAILED;
        }
        if (e instanceof StoreException store) {
            err.println("steward: " + store.getMessage() + " — " + store.fix());
            return TASK_FAILED;
        }
        err.println("steward: unexpected error: " + e + (debug ? "" : " (run again with --debug for details)"));
        return TASK_FAILED;
    }
}
