package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ToolContext;
import dev.steward.agent.TaskJournal;
import dev.steward.code.CodeChanges;
import dev.steward.code.CodeRequest;
import dev.steward.code.CodeResult;
import dev.steward.code.CodeWorkflow;
import dev.steward.identity.Accounts.Principal;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * The code workflow over HTTP: start a code task (it runs in the background and streams its events like any task),
 * read its result (the diff and the test runs), and apply a change that passed to the project.
 */
final class CodeApi {
    private final Services services;

    CodeApi(Services services) {
        this.services = services;
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.POST, "/api/code", "Start a code task: {\"request\", \"project\", \"test\"?, "
                + "\"rounds\"?}; 202 with the task (follow /api/tasks/{id}/events)", this::start);
        routes.add(config, HandlerType.GET, "/api/code/{id}", "A finished code task's result: diff, files, test runs",
                ctx -> HttpServer.json(ctx, 200, (ObjectNode) Json.mapper().valueToTree(result(ctx))));
        routes.add(config, HandlerType.POST, "/api/code/{id}/apply", "Write a change that passed into the project",
                this::apply);
    }

    private void start(Context ctx) {
        Principal me = Access.principal(ctx);
        JsonNode body = Bodies.object(ctx);
        JsonNode rounds = body.path("rounds");
        if (!rounds.isMissingNode() && !rounds.isNull() && !rounds.canConvertToExactIntegral()) {
            throw ApiError.invalid("rounds", "invalid_value", "rounds must be a whole number, 1 to "
                    + CodeRequest.MOST_ROUNDS);
        }
        CodeWorkflow workflow = new CodeWorkflow(services.gate(), services.router(), services.config().workspace());
        CodeRequest request;
        try {
            request = workflow.checked(new CodeRequest(Bodies.text(body, "request", true),
                    Bodies.text(body, "project", true), Bodies.text(body, "test", false),
                    rounds.isNumber() ? rounds.asInt() : CodeRequest.DEFAULT_ROUNDS));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage(), "see docs/code.md");
        }
        TaskJournal journal = services.runner().journal(me.userId(), request.request(), "code", "api");
        ToolContext context = new ToolContext(me.userId(), journal.taskId(), me.role());
        Thread.ofVirtual().name("steward-code-" + journal.taskId()).start(() -> workflow.run(request, journal, context));
        HttpServer.json(ctx, 202, (ObjectNode) Json.mapper().valueToTree(journal.task()));
    }

    private CodeResult result(Context ctx) {
        Principal me = Access.principal(ctx);
        String id = ctx.pathParam("id");
        services.runner().find(me.userId(), id).orElseThrow(() -> ApiError.notFound("task", id));
        return changes().result(id).orElseThrow(() -> ApiError.of(404, "not_found", "task " + id
                + " is not a finished code task", "wait for its done or failed event (/api/tasks/" + id + "/events)"));
    }

    private void apply(Context ctx) {
        Principal me = Access.principal(ctx);
        CodeResult result = result(ctx);
        try {
            var written = changes().apply(result, new ToolContext(me.userId(), result.taskId(), me.role()));
            ObjectNode body = Json.object().put("task_id", result.taskId()).put("project", result.project());
            written.forEach(body.putArray("written")::add);
            HttpServer.json(ctx, 200, body);
        } catch (CodeChanges.NotApplicable e) {
            throw ApiError.conflict(e.getMessage(), "run the code task again on the project as it is now");
        }
    }

    private CodeChanges changes() {
        return new CodeChanges(services.tasks(), services.gate(), services.config().workspace());
    }
}
