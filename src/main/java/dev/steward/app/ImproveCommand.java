package dev.steward.app;

import dev.steward.learning.ConfigRepository;
import dev.steward.learning.Evaluation;
import dev.steward.learning.Findings;
import dev.steward.learning.Gap;
import dev.steward.learning.Learning;
import dev.steward.learning.Proposal;
import dev.steward.support.Json;
import dev.steward.support.Text;
import dev.steward.support.UsageException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "improve", mixinStandardHelpOptions = true,
        description = {"Proposals Steward makes from its own history: what failed, what users said. Nothing changes "
                + "until you approve; every applied proposal is a commit that 'rollback' reverts.",
                "", "Example:  steward improve analyze && steward improve list"},
        subcommands = {ImproveCommand.Analyze.class, ImproveCommand.ListProposals.class, ImproveCommand.Show.class,
                ImproveCommand.Approve.class, ImproveCommand.Reject.class, ImproveCommand.Rollback.class,
                ImproveCommand.History.class})
final class ImproveCommand extends CommandGroup {

    Learning learning() {
        return parent.steward().learning();
    }

    @Command(name = "analyze", mixinStandardHelpOptions = true, description = "Read the history now: failures by "
            + "cause, capability gaps, slow or expensive models, feedback; new proposals are evaluated and listed.")
    static final class Analyze implements Callable<Integer> {
        @ParentCommand
        ImproveCommand improve;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Findings found = improve.learning().analyze();
            if (output.json) {
                System.out.println(Json.pretty(found));
                return Main.OK;
            }
            System.out.println("Since " + Output.time(found.since()) + ":");
            if (found.failures().isEmpty()) {
                System.out.println("  no repeated failures");
            }
            for (Findings.FailureGroup f : found.failures()) {
                System.out.printf(Locale.ROOT, "  %-6s %-30s %-12s %d of %d failed%s%n", f.cause(),
                        Text.abbreviate(f.subject(), 30), f.errorClass(), f.count(), f.total(),
                        f.examples().isEmpty() ? "" : ": " + Text.abbreviate(f.examples().getFirst(), 70));
            }
            for (Gap g : found.gaps()) {
                System.out.println("  gap    " + g.name() + " asked " + g.count() + "×: " + g.suggestion());
            }
            for (Findings.FeedbackPattern p : found.feedback()) {
                System.out.println("  rated  " + p.taskType() + " by " + p.userId() + ": " + p.up() + " up, " + p.down()
                        + " down" + (p.wishes().isEmpty() ? "" : " (asks: " + String.join(", ", p.wishes()) + ")"));
            }
            if (found.proposed().isEmpty()) {
                System.out.println("No new proposals.");
            } else {
                System.out.println(found.proposed().size() + " new proposal(s):");
                found.proposed().forEach(p -> System.out.println("  " + row(p)));
                System.out.println("Decide with: steward improve show ID, approve ID or reject ID");
            }
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Proposals, newest first.")
    static final class ListProposals implements Callable<Integer> {
        @ParentCommand
        ImproveCommand improve;

        @Option(names = "--status", description = "Only these: pending, applied, rejected, rolled_back.")
        String status;

        @Mixin
        ListingOptions listing;

        @Override
        public Integer call() {
            Proposal.Status only = status == null ? null : parseStatus(status);
            List<Proposal> list = improve.learning().list(only, listing.most());
            if (listing.json()) {
                System.out.println(Json.pretty(list));
                return Main.OK;
            }
            if (list.isEmpty()) {
                System.out.println("No proposals. 'steward improve analyze' reads the history now.");
                return Main.OK;
            }
            list.forEach(p -> System.out.println(row(p)));
            return Main.OK;
        }

        private static Proposal.Status parseStatus(String status) {
            try {
                return Proposal.Status.parse(status.strip().replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--status must be pending, applied, rejected or rolled_back, not '" + status + "'");
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One proposal: its change, evidence and "
            + "evaluation.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ImproveCommand improve;

        @Parameters(paramLabel = "ID", description = "The proposal's id, or enough of its start to be unique.")
        String id;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Proposal p = improve.learning().show(id);
            if (output.json) {
                System.out.println(Json.pretty(p));
                return Main.OK;
            }
            System.out.println(describe(p));
            System.out.println("Evidence:");
            System.out.println(Json.pretty(p.evidence()).indent(2).stripTrailing());
            return Main.OK;
        }
    }

    /** A person's decision on one proposal: approve, reject or roll back, each saying what it did. */
    abstract static class Decision implements Callable<Integer> {
        @ParentCommand
        ImproveCommand improve;

        @Parameters(paramLabel = "ID", description = "The proposal's id, or enough of its start to be unique.")
        String id;

        abstract Proposal decide(Learning learning, String id);

        abstract String done(Proposal decided);

        @Override
        public Integer call() {
            System.out.println(done(decide(improve.learning(), id)));
            return Main.OK;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Apply a pending proposal as one "
            + "versioned change (evaluated again first if the configuration changed since).")
    static final class Approve extends Decision {
        @Override
        Proposal decide(Learning learning, String id) {
            return learning.approve(id, Steward.LOCAL_USER);
        }

        @Override
        String done(Proposal p) {
            return "Applied " + p.id() + " as commit " + shortId(p.commitId()) + ": " + p.change().describe()
                    + "\nUndo with: steward improve rollback " + p.id();
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Decline a pending proposal.")
    static final class Reject extends Decision {
        @Override
        Proposal decide(Learning learning, String id) {
            return learning.reject(id, Steward.LOCAL_USER);
        }

        @Override
        String done(Proposal p) {
            return "Rejected " + p.id() + ": " + p.title();
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Undo an applied proposal with a "
            + "revert commit.")
    static final class Rollback extends Decision {
        @Override
        Proposal decide(Learning learning, String id) {
            return learning.rollback(id, Steward.LOCAL_USER);
        }

        @Override
        String done(Proposal p) {
            return "Rolled back " + p.id() + " with commit " + shortId(p.revertId()) + ": " + p.change().describe()
                    + " is undone";
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "The configuration's history, newest "
            + "first: applied and rolled-back proposals and edits made by hand.")
    static final class History implements Callable<Integer> {
        @ParentCommand
        ImproveCommand improve;

        @Mixin
        ListingOptions listing;

        @Override
        public Integer call() {
            List<ConfigRepository.Version> log = improve.learning().history(listing.most());
            if (listing.json()) {
                System.out.println(Json.pretty(log));
                return Main.OK;
            }
            log.forEach(v -> System.out.println(shortId(v.id()) + "  " + Output.time(v.at().toEpochMilli()) + "  "
                    + v.message().lines().findFirst().orElse("")));
            return Main.OK;
        }
    }

    static String row(Proposal p) {
        return String.format(Locale.ROOT, "%-16s  %-11s  %-11s  %s%s", p.id(), p.status().id(), p.kind().id(),
                Text.abbreviate(p.title(), 90), p.evaluation() == null ? "" : "  [" + mark(p.evaluation()) + "]");
    }

    private static String mark(Evaluation e) {
        return e.targetAfter().requests() == 0 ? "not evaluated" : e.regresses() ? "regresses"
                : e.improves() ? "improves" : "no improvement";
    }

    static String describe(Proposal p) {
        StringBuilder out = new StringBuilder();
        out.append("Proposal ").append(p.id()).append(" (").append(p.kind().id()).append(", ").append(p.status().id())
                .append(")\n").append(p.title()).append("\nChange: ").append(p.change().describe()).append('\n');
        Evaluation e = p.evaluation();
        if (e != null) {
            out.append("Evaluation: ").append(e.verdict()).append('\n');
            if (e.guardAfter().requests() > 0) {
                out.append("  guard: ").append(e.guardBefore().describe()).append(" → ").append(e.guardAfter().describe())
                        .append('\n');
            }
            if (e.note() != null) {
                out.append("  note: ").append(e.note()).append('\n');
            }
        }
        if (p.commitId() != null) {
            out.append("Applied as commit ").append(shortId(p.commitId())).append('\n');
        }
        if (p.revertId() != null) {
            out.append("Rolled back by commit ").append(shortId(p.revertId())).append('\n');
        }
        return out.toString().stripTrailing();
    }

    static String shortId(String id) {
        return id == null ? "-" : id.substring(0, Math.min(10, id.length()));
    }
}
