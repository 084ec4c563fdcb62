package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.identity.Accounts.Principal;
import dev.steward.memory.Category;
import dev.steward.memory.Contradiction;
import dev.steward.memory.Fact;
import dev.steward.memory.Memory;
import dev.steward.memory.Teams;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * What Steward remembers about the caller: search, add, correct, delete, export, settle contradictions. Facts are
 * private to the caller unless stored with {@code "scope": "team:NAME"}: then the team's members see them too. No
 * route reads another user's private memory, whatever the caller's role.
 */
final class MemoryApi {
    private static final int SEARCH_RESULTS = 50;

    private final Memory memory;
    private final Teams teams;

    MemoryApi(Memory memory, Teams teams) {
        this.memory = memory;
        this.teams = teams;
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.GET, "/api/memory", "Your current facts, or those matching ?q= (&category=)",
                this::list);
        routes.add(config, HandlerType.POST, "/api/memory", "Remember: {\"text\"} in words, or {subject, attribute,"
                + " value, category}; \"scope\": \"private\" (default) or \"team:NAME\" (its members see it)", this::add);
        routes.add(config, HandlerType.PUT, "/api/memory/{id}", "Correct a fact's value (the old one stays as history)",
                this::correct);
        routes.add(config, HandlerType.DELETE, "/api/memory/{id}", "Forget one fact", this::delete);
        routes.add(config, HandlerType.GET, "/api/memory/export", "Everything remembered (?format=json|markdown)",
                this::export);
        routes.add(config, HandlerType.GET, "/api/memory/entities", "The people, companies, teams, places, products"
                + " and projects remembered, with attributes and relations", this::entities);
        routes.add(config, HandlerType.GET, "/api/memory/entities/{name}", "One entity by name or alias: attributes,"
                + " relations, the facts behind them, history", this::entity);
        routes.add(config, HandlerType.GET, "/api/memory/contradictions", "Statements waiting for you to say which is"
                + " right", this::contradictions);
        routes.add(config, HandlerType.POST, "/api/memory/contradictions/{id}/resolve", "Settle one: {\"keep\":"
                + " \"new\" | \"old\"}", this::resolve);
    }

    private void list(Context ctx) {
        Principal me = Access.principal(ctx);
        String q = ctx.queryParam("q");
        String category = ctx.queryParam("category");
        Category wanted = category == null || category.isBlank() ? null : category(category);
        List<Fact> facts = new java.util.ArrayList<>();
        for (String space : teams.spacesOf(me.userId())) {
            facts.addAll(q == null || q.isBlank() ? memory.facts(space, false)
                    : memory.recall(space, q, SEARCH_RESULTS).current());
        }
        ObjectNode answer = Json.object();
        answer.set("facts", Json.mapper().valueToTree(facts.stream()
                .filter(f -> wanted == null || f.category() == wanted).map(MemoryApi::fact).toList()));
        HttpServer.json(ctx, 200, answer);
    }

    private void add(Context ctx) {
        Principal me = Access.principal(ctx);
        JsonNode body = Bodies.object(ctx);
        String text = Bodies.text(body, "text", false);
        String space = Scopes.space(teams, me, Bodies.text(body, "scope", false));
        Memory.Learned learned;
        if (text != null) {
            if (text.isBlank()) {
                throw ApiError.badRequest("'text' is empty", "say what to remember, e.g. \"remember that …\"");
            }
            learned = memory.remember(space, text, Memory.SOURCE_MESSAGE, null);
        } else {
            String subject = Bodies.text(body, "subject", true);
            String attribute = Bodies.text(body, "attribute", true);
            String value = Bodies.text(body, "value", true);
            String category = Bodies.text(body, "category", false);
            learned = memory.state(space, subject, attribute, value,
                    category == null ? Category.OTHER : category(category));
        }
        HttpServer.json(ctx, learned.changed() ? 201 : 200, learned(learned));
    }

    private void correct(Context ctx) {
        Principal me = Access.principal(ctx);
        Fact fact = owned(ctx, me);
        String value = Bodies.text(Bodies.object(ctx), "value", true);
        if (!fact.current()) {
            throw ApiError.conflict("fact " + fact.id() + " is an earlier version", "correct the current one");
        }
        HttpServer.json(ctx, 200, learned(memory.state(fact.userId(), fact.subject(), fact.attribute(), value,
                fact.category())));
    }

    private void delete(Context ctx) {
        Principal me = Access.principal(ctx);
        Fact fact = owned(ctx, me);
        memory.delete(fact.userId(), fact.id());
        HttpServer.json(ctx, 200, Json.object().put("deleted", fact.id()));
    }

    private void export(Context ctx) {
        Principal me = Access.principal(ctx);
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        switch (format) {
            case "json" -> HttpServer.json(ctx, 200, memory.export(me.userId()));
            case "markdown" -> ctx.status(200).contentType("text/markdown; charset=utf-8")
                    .result(memory.exportMarkdown(me.userId()));
            default -> throw ApiError.badRequest("no export format '" + format + "'", "use format=json or"
                    + " format=markdown");
        }
    }

    private void entities(Context ctx) {
        Principal me = Access.principal(ctx);
        ObjectNode answer = Json.object();
        answer.set("entities", Json.mapper().valueToTree(memory.entityCards(me.userId())));
        HttpServer.json(ctx, 200, answer);
    }

    private void entity(Context ctx) {
        Principal me = Access.principal(ctx);
        String name = ctx.pathParam("name");
        HttpServer.json(ctx, 200, Json.mapper().valueToTree(memory.entity(me.userId(), name)
                .orElseThrow(() -> ApiError.notFound("entity", name))));
    }

    private void contradictions(Context ctx) {
        Principal me = Access.principal(ctx);
        ObjectNode answer = Json.object();
        answer.set("contradictions", Json.mapper().valueToTree(memory.pendingContradictions(me.userId())));
        HttpServer.json(ctx, 200, answer);
    }

    private void resolve(Context ctx) {
        Principal me = Access.principal(ctx);
        String id = ctx.pathParam("id");
        if (memory.pendingContradictions(me.userId()).stream().map(Contradiction::id).noneMatch(id::equals)) {
            throw ApiError.notFound("contradiction", id);
        }
        String keep = Bodies.text(Bodies.object(ctx), "keep", true);
        if (!keep.equals("new") && !keep.equals("old")) {
            throw ApiError.badRequest("'keep' is '" + keep + "'", "use \"new\" (the statement replaces the fact) or"
                    + " \"old\" (the fact stays)");
        }
        ObjectNode answer = Json.object();
        answer.set("contradiction", Json.mapper().valueToTree(memory.resolve(me.userId(), id, keep.equals("new"))));
        answer.put("kept", keep);
        HttpServer.json(ctx, 200, answer);
    }

    /** A fact of the caller's own memory or of one of their teams'; anyone else's is as good as absent. */
    private Fact owned(Context ctx, Principal me) {
        String id = ctx.pathParam("id");
        return teams.spacesOf(me.userId()).stream().flatMap(space -> memory.fact(space, id).stream()).findFirst()
                .orElseThrow(() -> ApiError.notFound("memory item", id));
    }

    private static Category category(String id) {
        try {
            return Category.fromId(id);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage(), "leave 'category' out for any");
        }
    }

    private static ObjectNode learned(Memory.Learned learned) {
        ObjectNode answer = Json.object().put("summary", learned.summary());
        answer.set("facts", Json.mapper().valueToTree(
                java.util.stream.Stream.concat(learned.stored().stream(), learned.restated().stream())
                        .map(MemoryApi::fact).toList()));
        answer.set("contradictions", Json.mapper().valueToTree(learned.contradictions()));
        return answer;
    }

    /** A fact as the API shows it: its fields, the sentence it reads as, and who sees it. */
    private static ObjectNode fact(Fact f) {
        ObjectNode node = Json.mapper().valueToTree(f);
        return node.put("statement", f.statement())
                .put("scope", Teams.scopeOf(f.userId()));
    }
}
