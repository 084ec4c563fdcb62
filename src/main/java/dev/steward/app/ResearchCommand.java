package dev.steward.app;

import dev.steward.actions.ToolContext;
import dev.steward.config.Role;
import dev.steward.research.Research;
import dev.steward.research.ResearchReport;
import dev.steward.research.ResearchRequest;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "research", mixinStandardHelpOptions = true,
        description = {"Research a question from web sources and write a report in the workspace: findings with "
                + "numbered citations [n], each checked against the page it cites, and a Sources list.",
                "Offline (no model) the report is extractive: the sources' own most relevant sentences."},
        footer = {"", "Example: steward research \"Where is the factory? How many people work there?\" "
                + "--sources https://example.com/about,https://example.com/careers --out reports/acme.md"})
final class ResearchCommand implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    @Parameters(index = "0", paramLabel = "QUESTION", description = "The question; several '?'-ended parts become "
            + "sub-questions.")
    String question;

    @Option(names = "--sources", split = ",", paramLabel = "URL",
            description = "The pages to read, comma-separated (default: search research.searxng_url).")
    List<String> sources;

    @Option(names = "--out", paramLabel = "FILE.md",
            description = "Where in the workspace to save the report (default: research/<question>.md).")
    String out;

    @Option(names = "--depth", paramLabel = "N", defaultValue = "1",
            description = "1 reads the sources; 2 also reads up to 5 links of each to the same site (default 1).")
    int depth;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        ResearchRequest request;
        try {
            request = new ResearchRequest(question, sources, out, depth);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Steward steward = parent.steward();
        if (request.sources().isEmpty() && !steward.config().research().canSearch()) {
            throw new UsageException(Research.NO_SOURCES);
        }
        ResearchReport report;
        try {
            report = new Research(steward.gate(), steward.router(), steward.memory(), java.time.Clock.systemUTC(),
                    steward.config().research())
                    .run(request, new ToolContext(Steward.LOCAL_USER, null, Role.ADMIN));
        } catch (IllegalStateException e) {
            System.err.println("steward: " + e.getMessage());
            return Main.TASK_FAILED;
        }
        if (output.json) {
            System.out.println(Json.pretty(report));
        } else {
            System.out.print(report.markdown());
            System.err.println("Saved to " + steward.config().workspace().resolve(report.path()) + " ("
                    + report.findings().size() + " findings, " + report.sources().size() + " sources"
                    + (report.removed() > 0 ? ", " + report.removed() + " unverifiable claims removed" : "") + ")");
        }
        return Main.OK;
    }
}
