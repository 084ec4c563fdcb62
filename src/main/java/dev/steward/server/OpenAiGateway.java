package dev.steward.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.router.CallContext;
import dev.steward.router.ModelException;
import dev.steward.router.RoutedResponse;
import dev.steward.router.Router;
import dev.steward.router.RoutingException;
import dev.steward.support.Json;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.List;

/**
 * The OpenAI-compatible API under {@code /v1}: any OpenAI client or SDK pointed at Steward gets routing, fallback,
 * budgets, caching and a {@code model_calls} row for every call, like the agent itself.
 *
 * <p>Every call is recorded for the user whose API key (or session) made it.
 *
 * <p>The {@code model} of an answer names the model that answered, as {@code provider/model}, whatever name (an
 * alias such as {@code steward/auto}, or a bare model name) the client asked for. A stream cannot know that before
 * the answer is complete, so its chunks carry the name the client asked for, and its finish and usage chunks the
 * model that answered.
 */
final class OpenAiGateway {
    private final Router router;
    private final Clock clock;

    OpenAiGateway(Router router, Clock clock) {
        this.router = router;
        this.clock = clock;
    }

    void models(Context ctx) {
        long created = clock.instant().getEpochSecond();
        ObjectNode body = Json.object().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String name : router.modelNames()) {
            int slash = name.indexOf('/');
            data.addObject()
                    .put("id", name)
                    .put("object", "model")
                    .put("created", created)
                    .put("owned_by", slash > 0 ? name.substring(0, slash) : "steward");
        }
        HttpServer.json(ctx, 200, body);
    }

    void chatCompletions(Context ctx) {
        CompletionRequest parsed = CompletionRequest.parse(ctx.body());
        String id = Completions.newId();
        long created = clock.instant().getEpochSecond();
        // Calls are recorded and charged to the key's (or session's) user.
        CallContext call = CallContext.of(Access.principal(ctx).userId());
        if (!parsed.stream()) {
            RoutedResponse routed = routed(() -> router.chat(parsed.request(), call));
            describe(ctx, routed);
            HttpServer.json(ctx, 200, Completions.completion(id, created,
                    routed.provider() + "/" + routed.model(), routed.response()));
            return;
        }
        CompletionStream stream = new CompletionStream(ctx, id, created, parsed.model(), parsed.includeUsage());
        RoutedResponse routed;
        try {
            routed = router.stream(parsed.request(), call, stream);
        } catch (RoutingException | ModelException e) {
            if (stream.clientGone()) {
                return;
            }
            if (!stream.started()) {
                throw ApiError.from(e, clock.instant());
            }
            stream.fail(ApiError.from(e, clock.instant()));
            return;
        }
        if (!stream.started()) {
            describe(ctx, routed);
        }
        try {
            stream.finish(routed);
        } catch (ModelException clientGone) {
            // The answer is complete and recorded; the client left before reading its end.
        }
    }

    private RoutedResponse routed(java.util.function.Supplier<RoutedResponse> call) {
        try {
            return call.get();
        } catch (RoutingException | ModelException e) {
            throw ApiError.from(e, clock.instant());
        }
    }

    /** Headers that say what the router did: cheap to add, and all a client needs to see routing at work. */
    private static void describe(Context ctx, RoutedResponse routed) {
        ctx.header("x-steward-model", routed.provider() + "/" + routed.model());
        ctx.header("x-steward-route", HttpServer.headerSafe(routed.reason()));
        ctx.header("x-steward-cost-micros", Long.toString(routed.costMicros()));
        if (routed.cacheHit()) {
            ctx.header("x-steward-cache", "hit");
        }
        if (routed.fallbackPath() != null) {
            ctx.header("x-steward-fallback", HttpServer.headerSafe(routed.fallbackPath()));
        }
        List<String> notices = routed.notices();
        if (!notices.isEmpty()) {
            ctx.header("x-steward-notice", HttpServer.headerSafe(String.join("; ", notices)));
        }
    }
}
