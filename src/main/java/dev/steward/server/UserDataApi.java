package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.identity.Accounts;
import dev.steward.identity.Accounts.Principal;
import dev.steward.memory.Teams;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** Teams (admin) and a user's data: export everything held about them, remove them with a purge (admin). */
final class UserDataApi {
    private final Accounts accounts;
    private final Teams teams;
    private final UserData data;
    private final dev.steward.memory.Memory memory;

    UserDataApi(Services services) {
        this.accounts = services.accounts();
        this.teams = new Teams(services.database(), services.clock());
        this.memory = services.memory();
        this.data = new UserData(services.database(), services.memory(), services.search(), accounts, teams);
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.GET, "/api/teams", "The teams (admin: all; others: their own)", this::teams);
        routes.add(config, HandlerType.POST, "/api/teams", "Add a team (admin): {\"name\", \"members\": [user names]}",
                this::addTeam);
        routes.add(config, HandlerType.DELETE, "/api/teams/{name}", "Remove a team and its shared memory (admin)",
                this::removeTeam);
        routes.add(config, HandlerType.GET, "/api/users/{name}/export", "Everything held about a user, as JSON"
                + " (admin)", this::export);
        routes.add(config, HandlerType.DELETE, "/api/users/{name}", "Remove a user (admin); ?purge=true also deletes"
                + " their memory, task texts and documents from the database and the search index", this::remove);
    }

    private void teams(Context ctx) {
        Principal me = Access.principal(ctx);
        List<Teams.Team> shown = teams.list().stream()
                .filter(t -> me.role() == dev.steward.config.Role.ADMIN || t.members().contains(me.userId())).toList();
        ObjectNode answer = Json.object();
        answer.set("teams", Json.mapper().valueToTree(shown.stream().map(this::team).toList()));
        HttpServer.json(ctx, 200, answer);
    }

    private void addTeam(Context ctx) {
        Access.admin(ctx);
        JsonNode body = Bodies.object(ctx);
        String name = Bodies.text(body, "name", true);
        List<String> ids = new ArrayList<>();
        for (JsonNode member : body.path("members")) {
            ids.add(accounts.findUser(member.asText()).orElseThrow(() -> ApiError.badRequest("no user '"
                    + member.asText() + "' to add to team '" + name + "'", "see the users: steward users list")).id());
        }
        try {
            HttpServer.json(ctx, 201, team(teams.add(name, ids)));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage(), "pick a name like 'sales'");
        }
    }

    private void removeTeam(Context ctx) {
        Access.admin(ctx);
        String name = ctx.pathParam("name");
        if (!teams.remove(name)) {
            throw ApiError.notFound("team", name);
        }
        memory.clear(Teams.space(name.toLowerCase(java.util.Locale.ROOT)));
        HttpServer.json(ctx, 200, Json.object().put("removed", name));
    }

    private void export(Context ctx) {
        Access.admin(ctx);
        String name = ctx.pathParam("name");
        HttpServer.json(ctx, 200, data.export(user(name)));
    }

    private void remove(Context ctx) {
        Access.admin(ctx);
        String name = user(ctx.pathParam("name"));
        if ("true".equals(ctx.queryParam("purge"))) {
            UserData.Purged purged;
            try {
                purged = data.purge(name);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(e.getMessage(), "purge another user");
            }
            ObjectNode answer = Json.object().put("removed", name).put("purged", true);
            answer.set("deleted", Json.mapper().valueToTree(purged.counts()));
            HttpServer.json(ctx, 200, answer);
        } else {
            try {
                accounts.removeUser(name);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest(e.getMessage(), "remove another user");
            }
            HttpServer.json(ctx, 200, Json.object().put("removed", name).put("purged", false));
        }
    }

    private String user(String name) {
        if (accounts.findUser(name).isEmpty()) {
            throw ApiError.notFound("user", name);
        }
        return name;
    }

    /** A team as the API shows it: members by name. */
    private ObjectNode team(Teams.Team t) {
        ObjectNode node = Json.object().put("name", t.name()).put("scope", Teams.space(t.name()))
                .put("created_at", t.createdAt());
        node.set("members", Json.mapper().valueToTree(t.members().stream()
                .map(id -> accounts.userById(id).map(Accounts.User::name).orElse(id)).toList()));
        return node;
    }
}
