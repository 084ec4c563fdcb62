package dev.steward.app;

import dev.steward.actions.AuditLog;
import dev.steward.support.Json;
import dev.steward.support.Text;
import dev.steward.support.UsageException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "The audit log: every tool call, approval decision, policy denial and configuration change.",
        subcommands = {AuditCommand.ListAudit.class, AuditCommand.Verify.class})
final class AuditCommand extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The newest rows first.")
    static final class ListAudit implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Option(names = "--user", description = "Only this user's rows.")
        String user;

        @Option(names = "--tool", description = "Only rows about this tool.")
        String tool;

        @Option(names = "--outcome", description = "Only this outcome: ok, failed, denied, requested, approved, rejected, "
                + "expired, invalid, unknown_tool, rate_limited, ...")
        String outcome;

        @Option(names = "--since", description = "From this time: 2026-01-31, an ISO instant, or an age such as 30m, 2h, 7d.")
        String since;

        @Option(names = "--until", description = "Before this time, written like --since.")
        String until;

        @Mixin
        ListingOptions listing;

        @Override
        public Integer call() {
            int most = listing.most();
            List<AuditLog.Entry> rows = audit.parent.steward().gate().audit()
                    .list(new AuditLog.Filter(user, tool, outcome, time("--since", since), time("--until", until), most));
            if (listing.json()) {
                System.out.println(Json.pretty(rows));
                return Main.OK;
            }
            if (rows.isEmpty()) {
                System.out.println("No audit rows match.");
                return Main.OK;
            }
            System.out.printf("%5s  %-19s  %-8s  %-12s  %-13s  %-12s  %s%n",
                    "SEQ", "TIME", "USER", "KIND", "TOOL", "OUTCOME", "ARGUMENTS / DETAIL");
            for (AuditLog.Entry e : rows) {
                String what = (e.arguments() == null ? "" : e.arguments()) + (e.detail() == null ? "" : "  " + e.detail());
                System.out.printf("%5d  %-19s  %-8s  %-12s  %-13s  %-12s  %s%n", e.seq(),
                        Output.time(e.createdAt()), e.userId(), e.kind(),
                        e.tool() == null ? "-" : e.tool(), e.outcome(), Text.abbreviate(what.strip(), 120));
            }
            return Main.OK;
        }

        private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

        static Long time(String option, String text) {
            if (text == null) {
                return null;
            }
            Matcher age = AGE.matcher(text.strip());
            if (age.matches()) {
                long n = Long.parseLong(age.group(1));
                Duration d = switch (age.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                return System.currentTimeMillis() - d.toMillis();
            }
            try {
                return Instant.parse(text).toEpochMilli();
            } catch (DateTimeParseException notInstant) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneId.systemDefault()).toInstant().toEpochMilli();
                } catch (DateTimeParseException e) {
                    throw new UsageException(option + " '" + text + "' is not a time; write 2026-01-31, "
                            + "2026-01-31T12:00:00Z, or an age such as 30m, 2h, 7d");
                }
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the hash chain: any row edited, inserted or deleted is found.",
            footer = {"", "Exit codes: 0 intact, 1 broken (the first bad row is named)."})
    static final class Verify implements Callable<Integer> {
        @ParentCommand
        AuditCommand audit;

        @Override
        public Integer call() {
            AuditLog.Verification result = audit.parent.steward().gate().audit().verify();
            if (result.ok()) {
                System.out.println("Audit log intact: " + result.rows() + " row(s), hash chain verified.");
                return Main.OK;
            }
            System.err.println("steward: audit log broken at " + result.problem());
            return Main.TASK_FAILED;
        }
    }
}
