package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.Role;
import dev.steward.identity.Accounts.Principal;
import dev.steward.memory.Knowledge;
import dev.steward.memory.KnowledgeDocument;
import dev.steward.memory.Teams;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The knowledge base over HTTP: each caller's own documents and their teams' ({@code "scope": "team:NAME"} when
 * adding); no route shows anyone else's private documents, whatever the caller's role. Paths are files on the server: relative ones are read
 * from the workspace, and only an admin may add one outside it (a user could otherwise read any file Steward can).
 */
final class KnowledgeApi {
    private static final int MAX_RESULTS = 50;

    private final Knowledge knowledge;
    private final Path workspace;
    private final Teams teams;

    private KnowledgeApi(Knowledge knowledge, Path workspace, Teams teams) {
        this.knowledge = knowledge;
        this.workspace = workspace.toAbsolutePath().normalize();
        this.teams = teams;
    }

    /** Registers the routes when memory has a knowledge base. */
    static void register(Services services, JavalinConfig config, RouteTable routes) {
        services.memory().knowledge().ifPresent(k -> new KnowledgeApi(k, services.config().workspace(),
                new Teams(services.database(), services.clock()))
                .routes(config, routes));
    }

    private void routes(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.GET, "/api/knowledge", "Your documents and your teams', and the watched folders",
                this::list);
        routes.add(config, HandlerType.POST, "/api/knowledge", "Add documents or folders: {\"paths\": [...]} (relative"
                + " to the workspace; only admins outside it), \"scope\": \"private\" (default) or \"team:NAME\","
                + " \"watch\": true to follow the folders under serve", this::add);
        routes.add(config, HandlerType.POST, "/api/knowledge/refresh", "Read changed documents again, drop deleted"
                + " ones", this::refresh);
        routes.add(config, HandlerType.DELETE, "/api/knowledge", "Remove a document or a folder's documents and stop"
                + " watching it: ?path=", this::remove);
        routes.add(config, HandlerType.GET, "/api/knowledge/search", "The passages that answer ?q= (&limit=), with"
                + " document and section", this::search);
    }

    private void list(Context ctx) {
        Principal me = Access.principal(ctx);
        ObjectNode answer = Json.object();
        answer.set("documents", documents(knowledge.list(me.userId())));
        answer.set("watched", Json.mapper().valueToTree(knowledge.watched(me.userId()).stream()
                .map(w -> Json.object().put("path", w.path()).put("scope", w.scope()).put("created_at", w.createdAt()))
                .toList()));
        HttpServer.json(ctx, 200, answer);
    }

    private void add(Context ctx) {
        Principal me = Access.principal(ctx);
        JsonNode body = Bodies.object(ctx);
        JsonNode given = body.path("paths");
        String space = Scopes.space(teams, me, Bodies.text(body, "scope", false));
        JsonNode watch = body.path("watch");
        if (!watch.isMissingNode() && !watch.isBoolean()) {
            throw ApiError.badRequest("'watch' must be true or false, not " + watch, "send \"watch\": true");
        }
        if (!given.isArray() || given.isEmpty()) {
            throw ApiError.badRequest("'paths' is missing or empty", "send {\"paths\": [\"handbook\", \"notes.md\"]}");
        }
        List<Path> paths = new ArrayList<>();
        for (JsonNode p : given) {
            if (!p.isTextual() || p.asText().isBlank()) {
                throw ApiError.badRequest("every path must be a non-empty string, not " + p, "quote each path");
            }
            paths.add(allowed(me, p.asText()));
        }
        try {
            HttpServer.json(ctx, 200, Json.mapper().valueToTree(knowledge.add(space, paths, watch.asBoolean(false),
                    Knowledge.Progress.NONE)));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage(), "paths are read on the server, relative to its workspace");
        }
    }

    private void refresh(Context ctx) {
        Principal me = Access.principal(ctx);
        HttpServer.json(ctx, 200, Json.mapper().valueToTree(knowledge.refresh(me.userId(), Knowledge.Progress.NONE)));
    }

    private void remove(Context ctx) {
        Principal me = Access.principal(ctx);
        String path = ctx.queryParam("path");
        if (path == null || path.isBlank()) {
            throw ApiError.badRequest("'path' is missing", "DELETE /api/knowledge?path=handbook/leave.md");
        }
        Knowledge.Removed removed = knowledge.remove(me.userId(), workspace.resolve(path));
        if (removed.isEmpty()) {
            throw ApiError.notFound("document", path);
        }
        ObjectNode answer = Json.object();
        answer.set("removed", documents(removed.documents()));
        answer.set("unwatched", Json.mapper().valueToTree(removed.unwatched()));
        HttpServer.json(ctx, 200, answer);
    }

    private void search(Context ctx) {
        Principal me = Access.principal(ctx);
        String q = ctx.queryParam("q");
        if (q == null || q.isBlank()) {
            throw ApiError.badRequest("'q' is missing", "GET /api/knowledge/search?q=how+many+days+of+leave");
        }
        ObjectNode answer = Json.object();
        answer.set("passages", Json.mapper().valueToTree(knowledge.search(me.userId(), q,
                Bodies.number(ctx, "limit", 5, 1, MAX_RESULTS)).stream().map(p -> ((ObjectNode) Json.mapper()
                .valueToTree(p)).put("citation", p.citation())).toList()));
        HttpServer.json(ctx, 200, answer);
    }

    /** Documents as the API shows them: their fields and who reads them ({@code private} or {@code team:NAME}). */
    private static JsonNode documents(List<KnowledgeDocument> documents) {
        return Json.mapper().valueToTree(documents.stream().map(d -> ((ObjectNode) Json.mapper().valueToTree(d))
                .put("scope", Teams.scopeOf(d.userId()))).toList());
    }

    /** The path, from the workspace; outside it only for an admin. */
    private Path allowed(Principal me, String raw) {
        Path path = workspace.resolve(raw).toAbsolutePath().normalize();
        if (!path.startsWith(workspace) && me.role() != Role.ADMIN) {
            throw ApiError.forbidden("'" + raw + "' is outside the workspace", "put the documents in the workspace ("
                    + workspace + ") or ask an admin to add them");
        }
        return path;
    }
}
