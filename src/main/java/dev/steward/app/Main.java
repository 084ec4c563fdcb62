package dev.steward.app;

import dev.steward.config.ConfigException;
import dev.steward.store.StoreException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;

/** The {@code steward} command. Exit codes: 0 success, 1 the task failed, 2 usage or configuration error. */
public final class Main {
    public static final int OK = 0;
    public static final int TASK_FAILED = 1;
    public static final int USAGE = 2;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    /** Runs a command line against an environment; the tests call this in-process. */
    public static int run(String[] args, Map<String, String> env) {
        boolean debug = env.containsKey("STEWARD_DEBUG") || java.util.Arrays.asList(args).contains("--debug");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "warn");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        StewardCommand steward = new StewardCommand(env);
        CommandLine cli = new CommandLine(steward);
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
        command.getErr().println("steward: " + e.getMessage() + " (see '" + name + " --help')");
        return USAGE;
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
        if (e instanceof StoreException store) {
            err.println("steward: " + store.getMessage() + " — " + store.fix());
            return TASK_FAILED;
        }
        err.println("steward: unexpected error: " + e + (debug ? "" : " (run again with --debug for details)"));
        return TASK_FAILED;
    }
}
