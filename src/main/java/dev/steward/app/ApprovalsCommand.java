package dev.steward.app;

import dev.steward.actions.ActionGate;
import dev.steward.actions.Approval;
import dev.steward.support.Json;
import dev.steward.support.Text;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "approvals", mixinStandardHelpOptions = true,
        description = "Tool calls waiting for a yes or no.",
        subcommands = {ApprovalsCommand.ListApprovals.class, ApprovalsCommand.Show.class, ApprovalsCommand.Approve.class,
            ApprovalsCommand.Reject.class})
final class ApprovalsCommand extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Pending requests (with --all, decided ones too).")
    static final class ListApprovals implements Callable<Integer> {
        @ParentCommand
        ApprovalsCommand approvals;

        @Option(names = "--all", description = "Include approved, rejected, expired and finished requests.")
        boolean all;

        @Mixin
        ListingOptions listing;

        @Override
        public Integer call() {
            int most = listing.most();
            ActionGate gate = approvals.parent.steward().gate();
            long now = gate.now();
            List<Approval> list = gate.approvals(!all, most).stream()
                    .filter(a -> all || a.statusAt(now).equals(Approval.PENDING)).toList();
            if (listing.json()) {
                System.out.println(Json.pretty(list.stream().map(a -> {
                    var node = Json.mapper().valueToTree(a);
                    ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("status", a.statusAt(now));
                    return node;
                }).toList()));
                return Main.OK;
            }
            if (list.isEmpty()) {
                System.out.println(all ? "No approval requests yet." : "Nothing waits for approval.");
                return Main.OK;
            }
            System.out.printf("%-10s  %-8s  %-13s  %-9s  %-19s  %-8s  %s%n",
                    "ID", "STATUS", "TOOL", "RISK", "CREATED", "EXPIRES", "ARGUMENTS");
            for (Approval a : list) {
                long left = (a.expiresAt() - now) / 1000;
                System.out.printf("%-10s  %-8s  %-13s  %-9s  %-19s  %-8s  %s%n", a.id(), a.statusAt(now), a.tool(),
                        a.risk(), Output.time(a.createdAt()),
                        a.statusAt(now).equals(Approval.PENDING) ? "in " + left + "s" : "-",
                        Text.abbreviate(a.arguments(), 60));
                if (!a.untrusted().isEmpty()) {
                    System.out.println("            after untrusted content: " + Text.abbreviate(
                            untrusted(a).replace('\n', ' '), 110) + " — see 'steward approvals show " + a.id() + "'");
                }
            }
            return Main.OK;
        }
    }

    /** The untrusted content a request came after, one per line: tool and how it began. */
    static String untrusted(Approval a) {
        StringBuilder text = new StringBuilder();
        a.untrusted().forEach(u -> text.append(text.isEmpty() ? "" : "\n").append(u.tool()).append(": \u201c")
                .append(u.snippet()).append('\u201d'));
        return text.toString();
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"One request in full: what it will do and why it needs approval, its arguments, and the"
                    + " untrusted content (pages, files, command output, tool results) the agent read before asking.",
                    "A request that came after untrusted content may have been put into the agent's mouth by it:"
                            + " approve only what you asked for."})
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ApprovalsCommand approvals;

        @Parameters(paramLabel = "ID", description = "The request's id (see 'steward approvals list').")
        String id;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            ActionGate gate = approvals.parent.steward().gate();
            Approval a = gate.approval(id).orElseThrow(() -> new dev.steward.actions.ToolException(
                    "no approval '" + id + "'; see 'steward approvals list --all'"));
            String status = a.statusAt(gate.now());
            if (output.json) {
                var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().valueToTree(a);
                node.remove("token");
                System.out.println(Json.pretty(node.put("status", status)));
                return Main.OK;
            }
            System.out.println("Approval " + a.id() + " — " + status);
            System.out.println("  tool:      " + a.tool() + " (" + a.risk() + ")");
            System.out.println("  why:       " + (a.reason() == null ? "-" : a.reason()));
            System.out.println("  arguments: " + a.arguments());
            if (a.taskId() != null) {
                System.out.println("  task:      " + a.taskId());
            }
            System.out.println("  created:   " + Output.time(a.createdAt()) + ", expires " + Output.time(a.expiresAt()));
            if (!a.untrusted().isEmpty()) {
                System.out.println("  read before this request (untrusted: it may carry instructions that are not"
                        + " yours):");
                untrusted(a).lines().forEach(line -> System.out.println("    " + line));
            }
            if (status.equals(Approval.PENDING)) {
                System.out.println("Approve with 'steward approvals approve " + a.id() + "', or reject with"
                        + " 'steward approvals reject " + a.id() + "'.");
            }
            return Main.OK;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve a request and carry out the call it holds.",
            footer = {"", "Exit codes: 0 done, 1 failed, expired or already decided, 2 usage error."})
    static final class Approve implements Callable<Integer> {
        @ParentCommand
        ApprovalsCommand approvals;

        @Parameters(paramLabel = "ID", description = "The request's id (see 'steward approvals list').")
        String id;

        @Option(names = "--token", description = "The confirmation token, when the request must be confirmed with it.")
        String token;

        @Option(names = "--code", paramLabel = "TOTP",
                description = "Your one-time code, when the request needs one (a payment above second_factor_above; "
                        + "see 'steward totp setup').")
        String code;

        @Option(names = "--json", description = "Print the outcome as JSON.")
        boolean json;

        @Override
        public Integer call() {
            ActionGate.Outcome outcome = approvals.parent.steward().gate().approve(id, Steward.LOCAL_USER, token, code);
            return Output.outcome(outcome, json);
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject a request; the call never runs.")
    static final class Reject implements Callable<Integer> {
        @ParentCommand
        ApprovalsCommand approvals;

        @Parameters(paramLabel = "ID", description = "The request's id (see 'steward approvals list').")
        String id;

        @Override
        public Integer call() {
            Approval rejected = approvals.parent.steward().gate().reject(id, Steward.LOCAL_USER);
            System.out.println("Rejected " + rejected.id() + " (" + rejected.tool() + ").");
            return Main.OK;
        }
    }
}
