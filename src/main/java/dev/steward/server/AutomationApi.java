package dev.steward.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.identity.Accounts.Principal;
import dev.steward.schedule.Automation;
import dev.steward.schedule.HookDelivery;
import dev.steward.schedule.Schedule;
import dev.steward.support.Errors;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules, crews, the notification inbox and signed webhooks over HTTP. Schedules and crews run for the owner, so
 * only an admin sees and runs them; each user has their own inbox. {@code /hooks/NAME} needs no key: the HMAC
 * signature is its credential.
 */
final class AutomationApi {
    private static final Logger LOG = LoggerFactory.getLogger(AutomationApi.class);
    private final Automation automation;

    AutomationApi(Automation automation) {
        this.automation = automation;
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.POST, "/hooks/{name}", "A signed webhook delivery: starts the hook's task",
                this::deliver);
        routes.add(config, HandlerType.GET, "/api/schedules", "Schedules with their next and last run (admin)",
                this::schedules);
        routes.add(config, HandlerType.GET, "/api/schedules/{name}/history", "A schedule's runs (admin)",
                this::history);
        routes.add(config, HandlerType.POST, "/api/schedules/{name}/run", "Run a schedule now (admin)",
                this::runSchedule);
        routes.add(config, HandlerType.GET, "/api/crews", "Crews and their last runs (admin)", this::crews);
        routes.add(config, HandlerType.GET, "/api/crews/{name}/history", "A crew's runs (admin)", this::crewHistory);
        routes.add(config, HandlerType.POST, "/api/crews/{name}/run", "Run a crew now (admin)", this::runCrew);
        routes.add(config, HandlerType.GET, "/api/notifications", "Your notifications (?unread=true&limit=)",
                this::notifications);
        routes.add(config, HandlerType.POST, "/api/notifications/{id}/read", "Mark a notification read",
                this::markRead);
    }

    private void deliver(Context ctx) {
        String name = ctx.pathParam("name");
        HookDelivery outcome = automation.hooks().deliver(name, ctx::header, ctx.bodyAsBytes());
        switch (outcome) {
            case HookDelivery.Accepted(String taskId) -> HttpServer.json(ctx, 202, Json.object().put("task_id", taskId));
            case HookDelivery.Refused r -> throw ApiError.of(r.status(), r.code(), r.message(), r.hint());
        }
    }

    private void schedules(Context ctx) {
        Access.admin(ctx);
        ObjectNode answer = Json.object();
        ArrayNode list = answer.putArray("schedules");
        for (Schedule s : automation.schedules().all()) {
            list.add(automation.schedules().json(s));
        }
        HttpServer.json(ctx, 200, answer);
    }

    private void history(Context ctx) {
        Access.admin(ctx);
        String name = ctx.pathParam("name");
        automation.schedules().find(name).orElseThrow(() -> ApiError.notFound("schedule", name));
        ObjectNode answer = Json.object();
        answer.set("runs", Json.mapper().valueToTree(automation.schedules().history(name,
                Bodies.number(ctx, "limit", 20, 1, 500))));
        HttpServer.json(ctx, 200, answer);
    }

    /** Starts the run in the background: a task may take minutes; its row shows in the history at once. */
    private void runSchedule(Context ctx) {
        Access.admin(ctx);
        String name = ctx.pathParam("name");
        automation.schedules().find(name).orElseThrow(() -> ApiError.notFound("schedule", name));
        background("schedule " + name, () -> automation.schedules().runNow(name));
        HttpServer.json(ctx, 202, Json.object().put("schedule", name).put("status", "started"));
    }

    private void crews(Context ctx) {
        Access.admin(ctx);
        ObjectNode answer = Json.object();
        ArrayNode list = answer.putArray("crews");
        automation.crews().list().forEach(c -> {
            ObjectNode row = Json.mapper().valueToTree(c);
            row.put("bundled", automation.crews().bundled(c));
            row.set("runs", Json.mapper().valueToTree(automation.crews().history(c.name(), 5)));
            list.add(row);
        });
        HttpServer.json(ctx, 200, answer);
    }

    private void crewHistory(Context ctx) {
        Access.admin(ctx);
        String name = ctx.pathParam("name");
        automation.crews().find(name).orElseThrow(() -> ApiError.notFound("crew", name));
        ObjectNode answer = Json.object();
        answer.set("runs", Json.mapper().valueToTree(automation.crews().history(name,
                Bodies.number(ctx, "limit", 20, 1, 500))));
        HttpServer.json(ctx, 200, answer);
    }

    private void runCrew(Context ctx) {
        Principal me = Access.admin(ctx);
        String name = ctx.pathParam("name");
        automation.crews().find(name).orElseThrow(() -> ApiError.notFound("crew", name));
        background("crew " + name, () -> automation.crews().run(name, me.userId(), "manual"));
        HttpServer.json(ctx, 202, Json.object().put("crew", name).put("status", "started"));
    }

    private void notifications(Context ctx) {
        Principal me = Access.principal(ctx);
        ObjectNode answer = Json.object();
        answer.set("notifications", Json.mapper().valueToTree(automation.notifications().list(me.userId(),
                Bodies.number(ctx, "limit", 50, 1, 500), "true".equals(ctx.queryParam("unread")))));
        answer.put("unread", automation.notifications().unread(me.userId()));
        HttpServer.json(ctx, 200, answer);
    }

    private void markRead(Context ctx) {
        Principal me = Access.principal(ctx);
        String id = ctx.pathParam("id");
        if (!automation.notifications().markRead(me.userId(), id)) {
            throw ApiError.notFound("notification", id);
        }
        HttpServer.json(ctx, 200, Json.object().put("id", id).put("read", true));
    }

    private static void background(String what, Runnable work) {
        Thread.ofVirtual().name("steward-run-now").start(() -> {
            try {
                work.run();
            } catch (UsageException | IllegalStateException e) {
                LOG.warn("{}: {}", what, Errors.firstLine(e));
            }
        });
    }
}
