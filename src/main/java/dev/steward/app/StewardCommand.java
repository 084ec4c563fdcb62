package dev.steward.app;

import dev.steward.bench.BenchCommand;
import dev.steward.support.Version;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

@Command(name = "steward",
        mixinStandardHelpOptions = true,
        versionProvider = StewardCommand.VersionProvider.class,
        description = {
                "Steward: a self-hosted AI agent that answers, remembers and does real work.",
                "",
                "Data lives in STEWARD_HOME (default ~/.steward). With no model configured, Steward runs "
                        + "offline; 'steward doctor' shows how to connect one."},
        subcommands = {
                AskCommand.class, ChatCommand.class, ServeCommand.class, ModelsCommand.class, TasksCommand.class,
                StatsCommand.class, MemoryCommand.class, ToolsCommand.class, ApprovalsCommand.class,
                AuditCommand.class, McpCommand.class, UsersCommand.class, KeysCommand.class, DoctorCommand.class,
                ConfigCommand.class, BenchCommand.class, SkillsCommand.class,
                RolloutCommand.class, FlagsCommand.class, StateCommand.class,
                SchedulesCommand.class, CrewsCommand.class, HooksCommand.class, NotificationsCommand.class,
                BriefingCommand.class,
                ImproveCommand.class, GapsCommand.class,
                SecretsCommand.class, TotpCommand.class, ConnectCommand.class,
                ResearchCommand.class, CodeCommand.class,
                TeamsCommand.class,
                NodesCommand.class,
                KnowledgeCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 the task failed, 2 usage or configuration error, "
                + "3 the action needs approval."})
final class StewardCommand implements Callable<Integer> {
    private final Map<String, String> env;
    private Steward steward;
    private StewardPreload preload;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces and library logs on errors.")
    boolean debug;

    StewardCommand(Map<String, String> env) {
        this.env = env;
    }

    /** Saves what the application still holds in memory; Main calls it after every command. */
    void close() {
        if (preload != null) { // a command that never asked for it (a usage error): let it finish, then close it
            try {
                steward = preload.join();
            } catch (RuntimeException | Error failed) {
                // the command did not need it, so its failure is not the command's
            }
            preload = null;
        }
        if (steward != null) {
            steward.close();
            steward = null;
        }
    }

    /**
     * Starts loading the short-lived application beside picocli's work, for a command line that will ask for it
     * at once ({@code ask}): its configuration, database and memory index open on another core (issue 23).
     */
    void preload() {
        preload = StewardPreload.start(env);
    }

    /** The application, loaded on first use so that --help and --version stay instant; a short-lived one unless made. */
    Steward steward() {
        if (steward == null && preload != null) {
            StewardPreload started = preload;
            preload = null;
            steward = started.join(); // its failure (a configuration error) is this command's, as if loaded here
            printWarnings(steward);
        }
        if (steward == null) {
            steward = load(Steward.Lifetime.SHORT);
        }
        return steward;
    }

    /** The application for a command that runs a while (serve, chat, mcp, a search): memory searches by meaning. */
    Steward longLivedSteward() {
        if (steward == null) {
            steward = load(Steward.Lifetime.LONG);
        } else if (steward.lifetime() != Steward.Lifetime.LONG) {
            throw new IllegalStateException("a short-lived Steward was made before this command asked for a long one");
        }
        return steward;
    }

    private Steward load(Steward.Lifetime lifetime) {
        if (preload != null) {
            throw new IllegalStateException("a short-lived Steward is being preloaded for this command");
        }
        Steward loaded = Steward.load(env, lifetime);
        printWarnings(loaded);
        return loaded;
    }

    /** Printed here, once per command, not by the loader: its other callers (the server's settings check) have no terminal. */
    private void printWarnings(Steward loaded) {
        loaded.config().warnings().forEach(w -> spec.commandLine().getErr().println("steward: warning: " + w));
    }

    Map<String, String> env() {
        return env;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Main.OK;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"steward " + Version.current() + " (Java " + Runtime.version() + ")"};
        }
    }
}
