package dev.steward.app;

import dev.steward.agent.AskRequest;
import dev.steward.config.AgentsConfig;
import dev.steward.router.Route;
import dev.steward.router.Router;
import dev.steward.support.UsageException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Run one task to completion: the answer on stdout, progress on stderr.",
                "A complex task shows its plan, its steps and the Supervisor's verdicts as they happen.",
                "Every task is stored; 'steward tasks list' shows them."},
        footer = {"", "Exit codes: 0 done, 1 failed or cancelled, 2 usage error, 3 waiting for an approval,",
                "4 waiting for your answer (the message says which command continues it).",
                "", "Example:  steward ask \"what can you do?\"",
                "          steward ask --agent files \"sort my invoices into folders by year\"",
                "          steward ask --model assistant \"draft a reply to Anna\""})
final class AskCommand implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    @Parameters(arity = "0..*", paramLabel = "TEXT", description = "What to ask or do (quote it, or write it as words).")
    List<String> words = List.of();

    @Mixin
    TaskRunOptions run;

    @Option(names = "--agent", paramLabel = "NAME",
            description = "Work as this agent profile (code, research, files, or one of agents.profiles).")
    String agent;

    @Option(names = "--model", paramLabel = "ALIAS",
            description = "Answer with this routing alias (routing.aliases) or model instead of the router's choice.")
    String model;

    @Override
    public Integer call() {
        String text = String.join(" ", words).strip();
        if (text.isEmpty()) {
            throw new UsageException("nothing to ask: write what you want, e.g. steward ask \"what can you do?\"");
        }
        Steward steward = parent.steward();
        checkAgent(steward.config().agents());
        checkModel(steward.router());
        if (steward.router().offline()) {
            System.err.println("steward: running offline (no model configured); 'steward doctor' shows how to connect one");
        }
        return run.runHere(progress -> steward.runner().run(
                AskRequest.of(Steward.LOCAL_USER, text).withAgent(agent).withModel(model), progress));
    }

    /** A usage error naming the aliases and models when --model is none of them. */
    private void checkModel(Router router) {
        if (model != null && !router.knows(model)) {
            Set<String> aliases = new TreeSet<>(router.aliases().keySet());
            throw new UsageException("no alias or model named '" + model + "'; aliases: "
                    + (aliases.isEmpty() ? "none (name them under routing.aliases in steward.yaml)"
                    : String.join(", ", aliases)) + "; models: " + String.join(", ", router.routes().stream()
                    .map(Route::id).toList()) + " ('steward models list' shows them all)");
        }
    }

    /** A usage error naming the profiles when --agent is not one of them. */
    private void checkAgent(AgentsConfig agents) {
        if (agent != null && agents.profile(agent).isEmpty()) {
            throw new UsageException("no agent named '" + agent + "'; use one of: "
                    + String.join(", ", agents.profileNames()) + " (or add it under agents.profiles in steward.yaml)");
        }
    }
}
