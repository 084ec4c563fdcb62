package dev.steward.server;

import dev.steward.agent.ModelEpisodeSummariser;
import dev.steward.config.Role;
import dev.steward.identity.Accounts;
import dev.steward.identity.Accounts.Principal;
import dev.steward.memory.MemoryUpkeep;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;

/**
 * Memory upkeep over HTTP ({@code steward memory upkeep}), each caller's own memory. An admin may look after another
 * user's with {@code ?user=NAME}, but sees no one's memory: the report then names kinds, ids, counts and dates only.
 */
final class MemoryUpkeepApi {
    private static final int MAX_DAYS = 36_500;

    private final MemoryUpkeep upkeep;
    private final Accounts accounts;

    private MemoryUpkeepApi(MemoryUpkeep upkeep, Accounts accounts) {
        this.upkeep = upkeep;
        this.accounts = accounts;
    }

    static void register(Services services, JavalinConfig config, RouteTable routes) {
        new MemoryUpkeepApi(new MemoryUpkeep(services.database(), services.memory(), services.clock(),
                new ModelEpisodeSummariser(services::router)), services.accounts()).routes(config, routes);
    }

    private void routes(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.GET, "/api/memory/upkeep", "What upkeep would change (dry run): duplicates,"
                + " conflicts, stale facts, orphan entities, index drift, old episodes; ?stale_days=&summarise_days=,"
                + " admins ?user=", this::check);
        routes.add(config, HandlerType.POST, "/api/memory/upkeep/apply", "Make the changes, journalled under a run id"
                + " (same parameters)", this::apply);
        routes.add(config, HandlerType.POST, "/api/memory/upkeep/undo", "Put back a run: {\"run\": RUN}; admins"
                + " ?user=", this::undo);
    }

    private void check(Context ctx) {
        Target target = target(ctx);
        HttpServer.json(ctx, 200, Json.mapper().valueToTree(target.shown(upkeep.check(target.userId(), ages(ctx)))));
    }

    private void apply(Context ctx) {
        Target target = target(ctx);
        HttpServer.json(ctx, 200, Json.mapper().valueToTree(target.shown(upkeep.apply(target.userId(), ages(ctx)))));
    }

    private void undo(Context ctx) {
        Target target = target(ctx);
        String run = Bodies.text(Bodies.object(ctx), "run", true);
        try {
            HttpServer.json(ctx, 200, Json.mapper().valueToTree(upkeep.undo(target.userId(), run.strip())));
        } catch (IllegalArgumentException e) {
            throw ApiError.of(404, "not_found", e.getMessage(), "use the run_id an apply answered with");
        }
    }

    /** Whose memory, and whether the caller may read it. */
    private record Target(String userId, boolean own) {
        MemoryUpkeep.Report shown(MemoryUpkeep.Report report) {
            return own ? report : report.withoutContent();
        }
    }

    private Target target(Context ctx) {
        Principal me = Access.principal(ctx);
        String user = ctx.queryParam("user");
        if (user == null || user.isBlank() || user.strip().equals(me.name()) || user.strip().equals(me.userId())) {
            return new Target(me.userId(), true);
        }
        if (me.role() != Role.ADMIN) {
            throw ApiError.forbidden("only an admin may look after another user's memory; you are " + me.name(),
                    "leave out ?user= to look after your own");
        }
        Accounts.User other = accounts.findUser(user.strip()).or(() -> accounts.userById(user.strip()))
                .orElseThrow(() -> ApiError.of(404, "not_found", "no user '" + user.strip() + "'",
                        "steward users list names them"));
        return new Target(other.id(), false);
    }

    private static MemoryUpkeep.Ages ages(Context ctx) {
        return new MemoryUpkeep.Ages(
                Duration.ofDays(Bodies.number(ctx, "stale_days", (int) MemoryUpkeep.DEFAULT_STALE_AFTER.toDays(), 1,
                        MAX_DAYS)),
                Duration.ofDays(Bodies.number(ctx, "summarise_days",
                        (int) MemoryUpkeep.DEFAULT_SUMMARISE_AFTER.toDays(), 1, MAX_DAYS)));
    }
}
