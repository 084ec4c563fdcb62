package dev.steward.research;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ToolContext;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskJournal;
import dev.steward.agent.TaskStatus;
import dev.steward.support.Errors;
import dev.steward.support.Json;

/**
 * Research recorded as a task (the API and the web UI start it this way): its steps are task events, the report is
 * the task's answer, and the terminal event carries the findings with their citations and the sources.
 */
public final class ResearchTask {
    private ResearchTask() {}

    /** Runs the research to its end in this thread and finishes {@code journal}; the report, or null on failure. */
    public static ResearchReport run(Research research, ResearchRequest request, TaskJournal journal,
                                     ToolContext context) {
        ToolContext inTask = new ToolContext(context.userId(), journal.taskId(), context.role());
        journal.event(TaskEvent.Kind.PLAN, TaskEvent.AgentRole.MANAGER, request.sources().isEmpty()
                ? "searching for sources" : "reading " + request.sources().size() + " source"
                + (request.sources().size() == 1 ? "" : "s"), Json.object().put("depth", request.depth()));
        try {
            ResearchReport report = research.run(request, inTask);
            journal.finish(TaskStatus.DONE, report.markdown(), null, summary(report));
            return report;
        } catch (RuntimeException e) {
            journal.finish(TaskStatus.FAILED, null, Errors.message(e), null);
            return null;
        }
    }

    /** The report without the pages' text: where it is saved, what it found and what backs each finding. */
    static ObjectNode summary(ResearchReport report) {
        ObjectNode data = Json.object().put("question", report.question()).put("path", report.path())
                .put("extractive", report.extractive()).put("removed", report.removed())
                .put("markdown", report.markdown());
        report.subQuestions().forEach(data.putArray("sub_questions")::add);
        ArrayNode findings = data.putArray("findings");
        report.findings().forEach(f -> findings.add(Json.object().put("sub_question", f.subQuestion())
                .put("text", f.text()).put("quote", f.quote()).put("source", f.source())));
        ArrayNode sources = data.putArray("sources");
        report.sources().forEach(s -> sources.add(Json.object().put("n", s.n()).put("title", s.title())
                .put("url", s.url())));
        report.unread().forEach(data.putArray("unread")::add);
        return data;
    }
}
