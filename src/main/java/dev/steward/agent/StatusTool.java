package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolResult;
import dev.steward.actions.ToolSpec;
import dev.steward.router.OfflineModel;
import dev.steward.support.Json;
import java.util.Map;

/** Tells a model how Steward is set up and how its tasks have gone: version, mode, providers, task counts. */
public final class StatusTool implements Tool {
    private static final ToolSpec SPEC = new ToolSpec(OfflineModel.STATUS_TOOL,
            "Steward's own status: version, routing mode, configured providers, task counts, home and database.",
            Json.parse("{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}"), Risk.READ)
            .withTrustedResult();

    private final ObjectNode setup;
    private final TaskStore tasks;

    /** @param setup what does not change while Steward runs: version, mode, providers, home, database */
    public StatusTool(ObjectNode setup, TaskStore tasks) {
        this.setup = setup.deepCopy();
        this.tasks = tasks;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) {
        Map<String, Long> byStatus = tasks.countBy("status", 0);
        ObjectNode status = setup.deepCopy();
        status.putObject("tasks")
                .put("total", byStatus.values().stream().mapToLong(Long::longValue).sum())
                .put("done", byStatus.getOrDefault(TaskStatus.DONE.id(), 0L))
                .put("failed", byStatus.getOrDefault(TaskStatus.FAILED.id(), 0L));
        return ToolResult.ok(status);
    }
}
