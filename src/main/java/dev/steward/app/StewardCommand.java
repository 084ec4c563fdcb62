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
        if (steward != null) {
            steward.close();
            steward = null;
        }
    }

    /** The application, loaded on first use so that --help and --version stay instant; a short-lived one unless made. */
    Steward steward() {
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
        Steward loaded = Steward.load(env, lifetime);
        // Printed here, once per command, not by the loader: its other callers (the server's settings check) have no terminal.
        loaded.config().warnings().forEach(w -> spec.commandLine().getErr().println("steward: warning: " + w));
        return loaded;
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
