package dev.steward.research;

import dev.steward.actions.ActionGate;
import dev.steward.actions.ToolContext;
import dev.steward.config.ResearchConfig;
import dev.steward.memory.Memory;
import dev.steward.router.CallContext;
import dev.steward.router.ModelException;
import dev.steward.router.Router;
import dev.steward.support.Json;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The research assistant: sub-questions, sources read through the gate, findings, the quote check on every one of
 * them, and the report saved in the workspace (files.write, through the gate) and remembered as an episode with its
 * sources. With a model, the model plans and writes and the check removes what its sources do not say; offline (or
 * when the model's answer is unusable) the report is extractive: the sources' own sentences, never invented.
 */
public final class Research {
    /** Passages per sub-question in an extractive report. */
    public static final int PASSAGES_PER_QUESTION = 3;
    static final int MOST_SUB_QUESTIONS = 4;
    public static final String NO_SOURCES = "no sources to read: give them with --sources URL,URL, or set "
            + "research.searxng_url in steward.yaml to search for them";

    private final ActionGate gate;
    private final Router router;
    private final Memory memory;
    private final Clock clock;
    private final ResearchConfig config;

    /** {@code router} and {@code memory} may be null: an extractive report that is not remembered. */
    public Research(ActionGate gate, Router router, Memory memory, Clock clock) {
        this(gate, router, memory, clock, ResearchConfig.defaults());
    }

    public Research(ActionGate gate, Router router, Memory memory, Clock clock, ResearchConfig config) {
        this.gate = gate;
        this.router = router;
        this.memory = memory;
        this.clock = clock;
        this.config = config;
    }

    public ResearchReport run(ResearchRequest request, ToolContext context) {
        if (request.sources().isEmpty() && !config.canSearch()) {
            throw new IllegalArgumentException(NO_SOURCES);
        }
        ModelWriter writer = router == null || router.offline() ? null
                : new ModelWriter(router, new CallContext(context.userId(), context.taskId()));
        List<String> subQuestions = plan(request.question(), writer);
        List<String> urls = !request.sources().isEmpty() ? request.sources()
                : new SourceSearch(config, gate, context).find(subQuestions);
        SourceReader.Read read = new SourceReader(gate, context).read(urls, request.depth());
        if (read.sources().isEmpty()) {
            throw new IllegalStateException("none of the sources could be read: " + read.unread().entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining("; ")));
        }
        Map<Integer, Source> byNumber = read.sources().stream()
                .collect(Collectors.toMap(Source::n, Function.identity()));
        List<Finding> written = writer == null ? null : write(writer, request.question(), subQuestions, read.sources());
        boolean extractive = written == null;
        List<Finding> candidates = extractive ? extract(subQuestions, read.sources()) : written;
        List<Finding> verified = candidates.stream()
                .filter(f -> Citations.problem(f.quote(), f.source(), byNumber).isEmpty())
                .map(f -> subQuestions.contains(f.subQuestion()) ? f
                        : new Finding(subQuestions.getFirst(), f.text(), f.quote(), f.source()))
                .toList();
        int removed = candidates.size() - verified.size();
        String markdown = ReportWriter.markdown(request.question(), subQuestions, verified, read.sources(),
                read.unread(), removed, extractive, LocalDate.now(clock));
        String path = request.out() != null ? request.out() : "research/" + slug(request.question()) + ".md";
        ActionGate.Outcome saved = gate.call("files.write", Json.object().put("path", path).put("content", markdown),
                context);
        if (!saved.ok()) {
            throw new IllegalStateException("the report could not be saved to " + path + ": " + saved.message());
        }
        String savedPath = saved.asJson().path("path").asText(path);
        remember(context, request.question(), savedPath, verified, read.sources());
        return new ResearchReport(request.question(), subQuestions, verified, read.sources(),
                read.unread().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList(), removed,
                extractive, markdown, savedPath);
    }

    private static List<String> plan(String question, ModelWriter writer) {
        if (writer != null) {
            try {
                List<String> planned = writer.subQuestions(question, MOST_SUB_QUESTIONS);
                if (!planned.isEmpty()) {
                    return planned;
                }
            } catch (ModelException | IllegalArgumentException e) {
                // an unusable plan: the question's own parts will do
            }
        }
        List<String> parts = new ArrayList<>();
        for (String part : question.split("(?<=\\?)\\s+|;\\s*")) {
            if (!part.isBlank() && parts.size() < MOST_SUB_QUESTIONS) {
                parts.add(part.strip());
            }
        }
        return parts.isEmpty() ? List.of(question) : parts;
    }

    private static List<Finding> write(ModelWriter writer, String question, List<String> subQuestions,
                                       List<Source> sources) {
        try {
            List<Finding> findings = writer.findings(question, subQuestions, sources);
            return findings.isEmpty() ? null : findings;
        } catch (ModelException | IllegalArgumentException e) {
            return null; // the report falls back to the sources' own sentences
        }
    }

    /** The most relevant sentences per sub-question, each quoting itself; no sentence used twice. */
    static List<Finding> extract(List<String> subQuestions, List<Source> sources) {
        Passages passages = new Passages(sources);
        Set<String> used = new HashSet<>();
        List<Finding> findings = new ArrayList<>();
        for (String sub : subQuestions) {
            for (Passages.Passage p : passages.best(sub, PASSAGES_PER_QUESTION, used)) {
                used.add(p.text());
                findings.add(new Finding(sub, p.text(), p.text(), p.source()));
            }
        }
        return findings;
    }

    /** An episode of memory: the question, where the report is, its findings and its sources. */
    private void remember(ToolContext context, String question, String path, List<Finding> findings,
                          List<Source> sources) {
        if (memory == null) {
            return;
        }
        StringBuilder summary = new StringBuilder("Research report saved at ").append(path).append(".\n");
        findings.forEach(f -> summary.append(ReportWriter.cited(f.text(), f.source())).append('\n'));
        summary.append("Sources:\n");
        sources.forEach(s -> summary.append('[').append(s.n()).append("] ").append(s.title()).append(" — ")
                .append(s.url()).append('\n'));
        memory.learn(context.userId(), "Research: " + question, summary.toString(), context.taskId(), false);
    }

    static String slug(String question) {
        String slug = question.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (slug.length() > 60) {
            String cut = slug.substring(0, 61);
            slug = cut.contains("-") ? cut.substring(0, cut.lastIndexOf('-')) : slug.substring(0, 60); // whole words
        }
        return slug.isEmpty() ? "report" : slug;
    }
}
