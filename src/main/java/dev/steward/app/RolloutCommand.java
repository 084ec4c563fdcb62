package dev.steward.app;

import dev.steward.rollout.ArmStats;
import dev.steward.rollout.Gates;
import dev.steward.rollout.Precheck;
import dev.steward.rollout.Rollout;
import dev.steward.rollout.RolloutException;
import dev.steward.rollout.RolloutPlan;
import dev.steward.rollout.RolloutStatus;
import dev.steward.rollout.Rollouts;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Move a routing alias to a new model step by step: shadow, canary, ramp, promote; rolled back "
                + "on its own when the candidate fails its gates. See docs/rollout.md.",
        subcommands = {RolloutCommand.PrecheckCmd.class, RolloutCommand.Start.class, RolloutCommand.Status.class,
                RolloutCommand.Control.Pause.class, RolloutCommand.Control.Resume.class,
                RolloutCommand.Control.Promote.class, RolloutCommand.Control.Rollback.class,
                RolloutCommand.Control.Abort.class, RolloutCommand.ListCmd.class})
final class RolloutCommand extends CommandGroup {

    Rollouts rollouts() {
        return parent.steward().rollouts();
    }

    Precheck precheck() {
        return new Precheck(parent.steward().router(), parent.steward().database());
    }

    /** A rollout's refusal is the user's to fix: its message and hint, exit 2. */
    static <T> T handled(Supplier<T> work) {
        try {
            return work.get();
        } catch (RolloutException e) {
            throw new UsageException(e.getMessage() + (e.hint() == null ? "" : "; " + e.hint()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Command(name = "precheck", mixinStandardHelpOptions = true,
            description = "Check an alias and a candidate before a rollout: config, the model known and answering,"
                    + " price and context side by side; --deep replays recent requests against both.")
    static final class PrecheckCmd implements Callable<Integer> {
        @ParentCommand
        RolloutCommand group;

        @Option(names = "--alias", required = true, paramLabel = "ALIAS", description = "The routing alias to move.")
        String alias;

        @Option(names = "--candidate", required = true, paramLabel = "MODEL", description = "The model to move it to.")
        String candidate;

        @Option(names = "--deep", description = "Also replay recent requests and compare answers, latency and cost.")
        boolean deep;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            Precheck.Report report = handled(() -> group.precheck().run(alias, candidate, deep));
            if (json.json) {
                System.out.println(Json.pretty(report.json()));
            } else {
                report.checks().forEach(c -> System.out.printf("%-4s %-10s %s%n", c.ok() ? "ok" : "FAIL", c.name(),
                        c.detail()));
            }
            return report.ok() ? Main.OK : Main.TASK_FAILED;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start moving an alias to a candidate model along a plan.",
            footer = {"", RolloutPlan.GRAMMAR_HELP, "",
                    "Example:  steward rollout start llama --alias assistant --candidate local/llama3.1 \\",
                    "            --plan shadow:50,5%%:100,25%%:200,100%% --max-error-rate 0.02 --max-p95-ms 4000"})
    static final class Start implements Callable<Integer> {
        @ParentCommand
        RolloutCommand group;

        @Parameters(paramLabel = "NAME", description = "A name for the rollout.")
        String name;

        @Option(names = "--alias", required = true, paramLabel = "ALIAS", description = "The routing alias to move.")
        String alias;

        @Option(names = "--candidate", required = true, paramLabel = "MODEL", description = "The model to move it to.")
        String candidate;

        @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "Steps, e.g. shadow:50,5%%:100,100%%.")
        String plan;

        @Option(names = "--max-error-rate", paramLabel = "R", description = "Share of candidate calls that may fail"
                + " (default: " + Gates.DEFAULT_MAX_ERROR_RATE + ").")
        Double maxErrorRate;

        @Option(names = "--max-p95-ms", paramLabel = "MS", description = "Candidate 95th-percentile latency limit.")
        Long maxP95Ms;

        @Option(names = "--max-cost-ratio", paramLabel = "X", description = "Candidate cost per call over the"
                + " baseline's, at most.")
        Double maxCostRatio;

        @Option(names = "--min-requests", paramLabel = "N", description = "Candidate calls before the gates judge"
                + " (default: " + Gates.DEFAULT_MIN_REQUESTS + ").")
        Integer minRequests;

        @Option(names = "--max-supervisor-drop", paramLabel = "D", description = "How far (0..1) the candidate's"
                + " Supervisor pass rate may fall under the baseline's (default: " + Gates.DEFAULT_MAX_QUALITY_DROP
                + ", i.e. 20 points).")
        Double maxSupervisorDrop;

        @Option(names = "--max-feedback-drop", paramLabel = "D", description = "How far (0..1) the candidate's share"
                + " of thumbs up may fall under the baseline's (default: " + Gates.DEFAULT_MAX_QUALITY_DROP + ").")
        Double maxFeedbackDrop;

        @Override
        public Integer call() {
            Rollout r = handled(() -> {
                RolloutPlan parsed = RolloutPlan.parse(plan);
                Gates gates = new Gates(maxErrorRate == null ? Gates.DEFAULT_MAX_ERROR_RATE : maxErrorRate, maxP95Ms,
                        maxCostRatio, minRequests == null ? Gates.DEFAULT_MIN_REQUESTS : minRequests,
                        maxSupervisorDrop == null ? Gates.DEFAULT_MAX_QUALITY_DROP : maxSupervisorDrop,
                        maxFeedbackDrop == null ? Gates.DEFAULT_MAX_QUALITY_DROP : maxFeedbackDrop);
                Precheck precheck = group.precheck();
                String baseline = precheck.baselineOf(alias);
                String model = precheck.model(candidate).id();
                return group.rollouts().start(name, alias.toLowerCase(Locale.ROOT), baseline, model, parsed, gates,
                        System.getProperty("user.name"));
            });
            System.out.println("Started rollout " + r.name() + ": " + r.alias() + " from " + r.baseline() + " to "
                    + r.candidate() + ", now " + r.phaseText() + ". 'steward rollout status " + r.name()
                    + " --watch' follows it; a running 'steward serve' carries it out.");
            return Main.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "A rollout's phase and both arms' numbers (all rollouts when no name is given).")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        RolloutCommand group;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The rollout (default: every active one).")
        String name;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Option(names = "--watch", description = "Print again every 2 seconds until it ends (Ctrl-C stops).")
        boolean watch;

        @Override
        public Integer call() throws InterruptedException {
            while (true) {
                List<String> names = name != null ? List.of(name) : group.rollouts().list().stream()
                        .filter(r -> r.state().active()).map(Rollout::name).toList();
                List<RolloutStatus> all = handled(() -> names.stream().map(n -> group.rollouts().status(n)).toList());
                if (json) {
                    System.out.println(name != null ? Json.pretty(all.get(0).json())
                            : Json.pretty(Json.mapper().valueToTree(all.stream().map(RolloutStatus::json).toList())));
                } else if (all.isEmpty()) {
                    System.out.println("No rollout is running; 'steward rollout list' shows past ones.");
                } else {
                    all.forEach(RolloutCommand::print);
                }
                if (!watch || all.stream().noneMatch(s -> s.rollout().state().active())) {
                    return Main.OK;
                }
                Thread.sleep(2_000);
                System.out.println();
            }
        }
    }

    static void print(RolloutStatus s) {
        Rollout r = s.rollout();
        System.out.printf("%s  %s  %s → %s  state %s  phase %s (%s)%n", r.name(), r.alias(), r.baseline(), r.candidate(),
                r.state().id(), r.phaseText(), r.plan().text());
        if (r.reason() != null) {
            System.out.println("  reason: " + r.reason());
        }
        System.out.printf("  %-10s %9s %7s %8s %10s %10s%n", "ARM", "REQUESTS", "ERRORS", "P95 MS", "COST $", "AGREEMENT");
        arm("baseline", s.baseline());
        arm("candidate", s.candidate());
    }

    private static void arm(String label, ArmStats a) {
        System.out.printf(Locale.ROOT, "  %-10s %9d %7d %8d %10.4f %10s%n", label, a.requests(), a.errors(), a.p95Ms(),
                a.costMicros() / 1e6, a.agreement() == null ? "-" : String.format(Locale.ROOT, "%.0f%%",
                        100 * a.agreement()));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every rollout, the newest first.")
    static final class ListCmd implements Callable<Integer> {
        @ParentCommand
        RolloutCommand group;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            List<Rollout> all = group.rollouts().list();
            if (json.json) {
                System.out.println(Json.pretty(Json.mapper().valueToTree(all.stream().map(RolloutStatus::summary).toList())));
                return Main.OK;
            }
            System.out.printf("%-20s %-12s %-12s %-14s %-28s %s%n", "NAME", "ALIAS", "STATE", "PHASE", "CANDIDATE",
                    "STARTED");
            all.forEach(r -> System.out.printf("%-20s %-12s %-12s %-14s %-28s %s%n", r.name(), r.alias(),
                    r.state().id(), r.phaseText(), r.candidate(), Output.time(r.createdAt())));
            return Main.OK;
        }
    }

    /** pause, resume, promote, rollback and abort: one rollout, by name. */
    abstract static class Control implements Callable<Integer> {
        @ParentCommand
        RolloutCommand group;

        @Parameters(paramLabel = "NAME", description = "The rollout.")
        String name;

        abstract Rollout apply(Rollouts rollouts);

        @Override
        public Integer call() {
            Rollout r = handled(() -> apply(group.rollouts()));
            System.out.println("Rollout " + r.name() + " is " + r.state().id().replace('_', ' ')
                    + (r.state() == Rollout.State.PROMOTED ? ": " + r.alias() + " now points at " + r.candidate()
                    + " (a checkpoint of the state was taken first, in checkpoints/)" : "") + ".");
            return Main.OK;
        }

        @Command(name = "pause", mixinStandardHelpOptions = true,
                description = "Pause: every call goes to the baseline, the plan waits.")
        static final class Pause extends Control {
            Rollout apply(Rollouts rollouts) {
                return rollouts.pause(name);
            }
        }

        @Command(name = "resume", mixinStandardHelpOptions = true, description = "Carry on with a paused rollout.")
        static final class Resume extends Control {
            Rollout apply(Rollouts rollouts) {
                return rollouts.resume(name);
            }
        }

        @Command(name = "promote", mixinStandardHelpOptions = true,
                description = "Promote now: checkpoint, then the alias rewritten in steward.yaml to the candidate.")
        static final class Promote extends Control {
            Rollout apply(Rollouts rollouts) {
                return rollouts.promote(name);
            }
        }

        @Command(name = "rollback", mixinStandardHelpOptions = true,
                description = "Roll back: the alias stays on the baseline; the candidate gets no more calls.")
        static final class Rollback extends Control {
            Rollout apply(Rollouts rollouts) {
                return rollouts.rollback(name);
            }
        }

        @Command(name = "abort", mixinStandardHelpOptions = true, description = "Stop the rollout, changing nothing.")
        static final class Abort extends Control {
            Rollout apply(Rollouts rollouts) {
                return rollouts.abort(name);
            }
        }
    }
}
