package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.agent.Task;
import dev.steward.agent.TaskRunner;
import dev.steward.identity.Accounts.Principal;
import dev.steward.learning.Feedback;
import dev.steward.learning.Learning;
import dev.steward.learning.LearningException;
import dev.steward.learning.Proposal;
import dev.steward.learning.Rating;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.function.Supplier;

/**
 * Ratings of tasks (any user, of their own tasks) and the learning loop's proposals (admins: a proposal changes how
 * Steward behaves for everyone).
 */
final class LearningApi {
    private final Supplier<Learning> learning;
    private final TaskRunner runner;

    LearningApi(Services services) {
        this.learning = services::learning;
        this.runner = services.runner();
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.POST, "/api/tasks/{id}/feedback", "Rate a task's answer: {\"rating\": \"up\"|"
                + "\"down\", \"comment\"?}", this::feedback);
        routes.add(config, HandlerType.POST, "/api/improvements/analyze", "Analyse the history now; new proposals "
                + "(admin)", ctx -> HttpServer.json(ctx, 200, Json.mapper().valueToTree(decide(ctx, l -> l.analyze()))));
        routes.add(config, HandlerType.GET, "/api/improvements", "Proposals, newest first (?status=) (admin)",
                this::list);
        routes.add(config, HandlerType.GET, "/api/improvements/history", "The configuration's history (admin)",
                ctx -> wrapped(ctx, "history", decide(ctx, l -> l.history(Bodies.number(ctx, "limit", 50, 1, 500)))));
        routes.add(config, HandlerType.GET, "/api/improvements/{id}", "One proposal (admin)",
                ctx -> proposal(ctx, decide(ctx, l -> l.show(ctx.pathParam("id")))));
        routes.add(config, HandlerType.POST, "/api/improvements/{id}/approve", "Apply a pending proposal (admin)",
                ctx -> proposal(ctx, decide(ctx, l -> l.approve(ctx.pathParam("id"), Access.admin(ctx).userId()))));
        routes.add(config, HandlerType.POST, "/api/improvements/{id}/reject", "Decline a pending proposal (admin)",
                ctx -> proposal(ctx, decide(ctx, l -> l.reject(ctx.pathParam("id"), Access.admin(ctx).userId()))));
        routes.add(config, HandlerType.POST, "/api/improvements/{id}/rollback", "Undo an applied proposal (admin)",
                ctx -> proposal(ctx, decide(ctx, l -> l.rollback(ctx.pathParam("id"), Access.admin(ctx).userId()))));
        routes.add(config, HandlerType.GET, "/api/gaps", "What users asked for that Steward could not do (admin)",
                ctx -> wrapped(ctx, "gaps", decide(ctx, Learning::gaps)));
    }

    private void feedback(Context ctx) {
        Principal me = Access.principal(ctx);
        String id = ctx.pathParam("id");
        Task task = runner.find(me.userId(), id).orElseThrow(() -> ApiError.notFound("task", id));
        JsonNode body = Bodies.object(ctx);
        Rating rating;
        try {
            rating = Rating.parse(Bodies.text(body, "rating", true));
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("rating", "invalid_value", e.getMessage());
        }
        Feedback given = learning.get().rate(task.id(), me.userId(), rating, Bodies.text(body, "comment", false));
        HttpServer.json(ctx, 200, Json.mapper().valueToTree(given));
    }

    private void list(Context ctx) {
        String status = ctx.queryParam("status");
        Proposal.Status only;
        try {
            only = status == null || status.isBlank() ? null : Proposal.Status.parse(status.strip());
        } catch (IllegalArgumentException e) {
            throw ApiError.invalid("status", "invalid_value", "status must be pending, applied, rejected or "
                    + "rolled_back");
        }
        wrapped(ctx, "proposals", decide(ctx, l -> l.list(only, Bodies.number(ctx, "limit", 50, 1, 500))));
    }

    /** A list answers as an object holding it, like every list of the API. */
    private static void wrapped(Context ctx, String name, Object list) {
        ObjectNode body = Json.object();
        body.set(name, Json.mapper().valueToTree(list));
        HttpServer.json(ctx, 200, body);
    }

    private static void proposal(Context ctx, Proposal p) {
        HttpServer.json(ctx, 200, Json.mapper().valueToTree(p));
    }

    /** Runs an admin's learning operation; a refusal (stale, wrong state, unknown id) is a 409 or 404 saying why. */
    private <T> T decide(Context ctx, java.util.function.Function<Learning, T> operation) {
        Access.admin(ctx);
        try {
            return operation.apply(learning.get());
        } catch (LearningException e) {
            if (e.unknown()) {
                throw ApiError.notFound("proposal", ctx.pathParamMap().getOrDefault("id", ""));
            }
            throw ApiError.conflict(e.getMessage(), e.hint());
        }
    }
}
