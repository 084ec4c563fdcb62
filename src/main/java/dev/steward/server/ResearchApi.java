package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ToolContext;
import dev.steward.agent.TaskJournal;
import dev.steward.identity.Accounts.Principal;
import dev.steward.research.Research;
import dev.steward.research.ResearchRequest;
import dev.steward.research.ResearchTask;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Research over HTTP: {@code POST /api/research} starts a research task in the background and answers 202 with it;
 * its events stream on {@code /api/tasks/{id}/events}, and its done event carries the report, findings and sources.
 */
final class ResearchApi {
    private final Services services;

    ResearchApi(Services services) {
        this.services = services;
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.POST, "/api/research", "Start research: {\"question\", \"sources\"?: [URL], "
                + "\"out\"?, \"depth\"?}; 202 with the task (follow /api/tasks/{id}/events)", this::start);
    }

    private void start(Context ctx) {
        Principal me = Access.principal(ctx);
        JsonNode body = Bodies.object(ctx);
        JsonNode depth = body.path("depth");
        if (!depth.isMissingNode() && !depth.isNull() && !depth.canConvertToExactIntegral()) {
            throw ApiError.invalid("depth", "invalid_value", "depth must be 1, 2 or 3");
        }
        ResearchRequest request;
        try {
            request = new ResearchRequest(Bodies.text(body, "question", true), sources(body.path("sources")),
                    Bodies.text(body, "out", false), depth.isNumber() ? depth.asInt() : 1);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage().replace("--depth", "depth"), "see docs/research.md");
        }
        if (request.sources().isEmpty() && !services.config().research().canSearch()) {
            throw ApiError.badRequest("no sources to read: give them as \"sources\": [URL, …], or set "
                    + "research.searxng_url in steward.yaml to search for them", "see docs/research.md");
        }
        Research research = new Research(services.gate(), services.router(), services.memory(), services.clock(),
                services.config().research());
        TaskJournal journal = services.runner().journal(me.userId(), request.question(), "research", "api");
        ToolContext context = new ToolContext(me.userId(), journal.taskId(), me.role());
        Thread.ofVirtual().name("steward-research-" + journal.taskId())
                .start(() -> ResearchTask.run(research, request, journal, context));
        HttpServer.json(ctx, 202, (ObjectNode) Json.mapper().valueToTree(journal.task()));
    }

    /** URLs as a JSON array of strings, or one comma-separated string as on the command line. */
    private static List<String> sources(JsonNode given) {
        List<String> urls = new ArrayList<>();
        if (given.isTextual()) {
            urls.addAll(List.of(given.asText().split(",")));
        } else if (given.isArray()) {
            for (JsonNode url : given) {
                if (!url.isTextual()) {
                    throw ApiError.invalid("sources", "invalid_value", "sources must be URLs as strings");
                }
                urls.add(url.asText());
            }
        } else if (!given.isMissingNode() && !given.isNull()) {
            throw ApiError.invalid("sources", "invalid_value", "sources must be a list of URLs");
        }
        return urls;
    }
}
