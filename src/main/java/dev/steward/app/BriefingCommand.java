package dev.steward.app;

import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "briefing", mixinStandardHelpOptions = true,
        description = {"What happened and what needs you: tasks finished and failed (with where they came from),"
                + " schedule and crew runs, approvals waiting, spend against budgets, research reports.",
                "The bundled schedule morning-briefing sends it at 07:00 once you turn it on:"
                        + " steward schedules resume morning-briefing"})
final class BriefingCommand implements Callable<Integer> {
    private static final Pattern SPAN = Pattern.compile("(\\d+)\\s*([mhd])");

    @ParentCommand
    StewardCommand parent;

    @Option(names = "--since", defaultValue = "24h", paramLabel = "SPAN",
            description = "How far back: 90m, 24h, 7d (default ${DEFAULT-VALUE}).")
    String since;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Duration span = span(since);
        var briefing = parent.steward().automation().briefing();
        System.out.print(output.json ? Json.pretty(briefing.collect(Steward.LOCAL_USER, span)) + "\n"
                : briefing.text(Steward.LOCAL_USER, span));
        return Main.OK;
    }

    static Duration span(String text) {
        Matcher m = SPAN.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new UsageException("--since '" + text + "' is not a span; write for example 90m, 24h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
