package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.rollout.Gates;
import dev.steward.rollout.Precheck;
import dev.steward.rollout.Rollout;
import dev.steward.rollout.RolloutException;
import dev.steward.rollout.RolloutPlan;
import dev.steward.rollout.RolloutStatus;
import dev.steward.rollout.Rollouts;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.function.Supplier;

/**
 * {@code /api/rollouts}: list, status, start, pre-check and the controls (pause, resume, promote, rollback, abort),
 * the same as {@code steward rollout}. Anyone signed in may look; only an admin may change anything.
 */
final class RolloutApi {
    private final Services services;
    private final Rollouts rollouts;

    private RolloutApi(Services services) {
        this.services = services;
        this.rollouts = services.rollouts();
    }

    /** Registers the routes when rollouts are served; without them, the routes answer that nothing is rolled out. */
    static void register(Services services, JavalinConfig config, RouteTable routes) {
        if (services.rollouts() == null) {
            return;
        }
        RolloutApi api = new RolloutApi(services);
        routes.add(config, HandlerType.GET, "/api/rollouts", "Rollouts, the newest first", api::list);
        routes.add(config, HandlerType.POST, "/api/rollouts", "Start a rollout {name, alias, candidate, plan,"
                + " max_error_rate?, max_p95_ms?, max_cost_ratio?, min_requests?, max_supervisor_drop?, max_feedback_drop?}"
                + " (admin)", api::start);
        routes.add(config, HandlerType.POST, "/api/rollouts/precheck", "Check an alias and a candidate model"
                + " {alias, candidate, deep?} (admin)", api::precheck);
        routes.add(config, HandlerType.GET, "/api/rollouts/{name}", "A rollout: phase, both arms, timeline",
                api::status);
        routes.add(config, HandlerType.POST, "/api/rollouts/{name}/{action}", "pause, resume, promote, rollback or"
                + " abort a rollout (admin)", api::act);
    }

    private void list(Context ctx) {
        Access.principal(ctx);
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("rollouts");
        rollouts.list().forEach(r -> data.add(RolloutStatus.summary(r)));
        HttpServer.json(ctx, 200, body);
    }

    private void status(Context ctx) {
        Access.principal(ctx);
        HttpServer.json(ctx, 200, handled(() -> rollouts.status(ctx.pathParam("name")).json()));
    }

    private void start(Context ctx) {
        String owner = Access.admin(ctx).name();
        JsonNode body = Bodies.object(ctx);
        String name = Bodies.text(body, "name", true);
        String alias = Bodies.text(body, "alias", true);
        String candidate = Bodies.text(body, "candidate", true);
        String planText = Bodies.text(body, "plan", true);
        ObjectNode started = handled(() -> {
            RolloutPlan plan = parse(planText);
            Gates gates = gates(body);
            Precheck precheck = new Precheck(services.router(), services.database());
            String baseline = precheck.baselineOf(alias);
            String model = precheck.model(candidate).id();
            Rollout r = rollouts.start(name, alias.toLowerCase(java.util.Locale.ROOT), baseline, model, plan, gates,
                    owner);
            return rollouts.status(r.name()).json();
        });
        HttpServer.json(ctx, 201, started);
    }

    private void precheck(Context ctx) {
        Access.admin(ctx);
        JsonNode body = Bodies.object(ctx);
        String alias = Bodies.text(body, "alias", true);
        String candidate = Bodies.text(body, "candidate", true);
        boolean deep = Bodies.flag(body, "deep");
        HttpServer.json(ctx, 200, handled(() -> new Precheck(services.router(), services.database())
                .run(alias, candidate, deep).json()));
    }

    private void act(Context ctx) {
        Access.admin(ctx);
        String name = ctx.pathParam("name");
        String action = ctx.pathParam("action");
        HttpServer.json(ctx, 200, handled(() -> {
            switch (action) {
                case "pause" -> rollouts.pause(name);
                case "resume" -> rollouts.resume(name);
                case "promote" -> rollouts.promote(name);
                case "rollback" -> rollouts.rollback(name);
                case "abort" -> rollouts.abort(name);
                default -> throw new RolloutException(RolloutException.Kind.NOT_FOUND, "no action '" + action + "'",
                        "use pause, resume, promote, rollback or abort");
            }
            return rollouts.status(name).json();
        }));
    }

    private static RolloutPlan parse(String text) {
        try {
            return RolloutPlan.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RolloutException(RolloutException.Kind.INVALID, e.getMessage(), RolloutPlan.GRAMMAR);
        }
    }

    private static Gates gates(JsonNode body) {
        try {
            return Gates.of(body);
        } catch (IllegalArgumentException e) {
            throw new RolloutException(RolloutException.Kind.INVALID, e.getMessage().replace("--", "")
                    .replace('-', '_'), "see GET /api/openapi.json");
        }
    }

    /** Runs {@code work}, answering a rollout's refusal as 400, 404 or 409 with its message and hint. */
    private static ObjectNode handled(Supplier<ObjectNode> work) {
        try {
            return work.get();
        } catch (RolloutException e) {
            throw switch (e.kind()) {
                case INVALID -> ApiError.badRequest(e.getMessage(), e.hint());
                case NOT_FOUND -> ApiError.of(404, "not_found", e.getMessage(), e.hint());
                case CONFLICT -> ApiError.conflict(e.getMessage(), e.hint());
            };
        }
    }
}
