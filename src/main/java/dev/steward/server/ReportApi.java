package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.AuditLog;
import dev.steward.config.Role;
import dev.steward.identity.Accounts.Principal;
import dev.steward.router.Budgets;
import dev.steward.store.Database;
import dev.steward.support.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/**
 * What it cost and what it did: spend from the {@code model_calls} rows, the audit log, and the settings. An admin
 * sees everyone's; others see their own.
 */
final class ReportApi {
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    private final Services services;

    ReportApi(Services services) {
        this.services = services;
    }

    void register(JavalinConfig config, RouteTable routes) {
        routes.add(config, HandlerType.GET, "/api/stats", "Spend: totals, per day and per model, budgets (?days=30)",
                this::stats);
        routes.add(config, HandlerType.GET, "/api/audit", "The audit log, newest first (?limit=&before=epoch-ms)",
                this::audit);
        routes.add(config, HandlerType.GET, "/api/settings", "The configuration in effect, secrets masked (admin)",
                this::settings);
        routes.add(config, HandlerType.PUT, "/api/settings", "Change routing or budgets in steward.yaml; applies at the"
                + " next start (admin)", this::change);
    }

    private void stats(Context ctx) {
        Principal me = Access.principal(ctx);
        int days = Bodies.number(ctx, "days", 30, 1, 3660);
        long since = services.clock().millis() - days * DAY_MILLIS;
        String user = me.role() == Role.ADMIN ? null : me.userId();
        services.database().flushBackgroundWrites(); // the last calls' rows may still be on their way
        String where = " WHERE created_at >= :since" + (user == null ? "" : " AND user_id = :user");
        Database database = services.database();
        ObjectNode answer = Json.object().put("scope", user == null ? "all users" : me.name()).put("days", days);
        database.jdbi().useHandle(h -> {
            java.util.function.Function<String, org.jdbi.v3.core.statement.Query> query = sql -> {
                var q = h.createQuery(sql).bind("since", since);
                return user == null ? q : q.bind("user", user);
            };
            query.apply("SELECT COUNT(*) AS calls, COALESCE(SUM(tokens_in), 0) AS tin, COALESCE(SUM(tokens_out), 0)"
                            + " AS tout, COALESCE(SUM(cost_micros), 0) AS cost, COALESCE(SUM(CASE WHEN locality ="
                            + " 'cloud' THEN 0 ELSE 1 END), 0) AS local FROM model_calls" + where)
                    .map((rs, c) -> {
                        long calls = rs.getLong("calls");
                        ObjectNode totals = answer.putObject("totals").put("calls", calls)
                                .put("tokens_in", rs.getLong("tin")).put("tokens_out", rs.getLong("tout"))
                                .put("cost_micros", rs.getLong("cost"));
                        if (calls == 0) {
                            totals.putNull("local_share");
                        } else {
                            totals.put("local_share", rs.getLong("local") / (double) calls);
                        }
                        return totals;
                    }).one();
            ArrayNode byDay = answer.putArray("by_day");
            query.apply("SELECT created_at / " + DAY_MILLIS + " AS day, COUNT(*) AS calls, COALESCE(SUM(cost_micros), 0)"
                            + " AS cost FROM model_calls" + where + " GROUP BY created_at / " + DAY_MILLIS + " ORDER BY day")
                    .map((rs, c) -> byDay.addObject()
                            .put("day", LocalDate.ofEpochDay(rs.getLong("day")).toString())
                            .put("calls", rs.getLong("calls")).put("cost_micros", rs.getLong("cost")))
                    .list();
            ArrayNode byModel = answer.putArray("by_model");
            query.apply("SELECT model, provider, COALESCE(locality, 'unknown') AS locality, COUNT(*) AS calls,"
                            + " COALESCE(SUM(tokens_in), 0) AS tin, COALESCE(SUM(tokens_out), 0) AS tout,"
                            + " COALESCE(SUM(cost_micros), 0) AS cost FROM model_calls" + where
                            + " GROUP BY model, provider, locality ORDER BY cost DESC, calls DESC")
                    .map((rs, c) -> byModel.addObject().put("model", rs.getString("model"))
                            .put("provider", rs.getString("provider")).put("locality", rs.getString("locality"))
                            .put("calls", rs.getLong("calls")).put("tokens_in", rs.getLong("tin"))
                            .put("tokens_out", rs.getLong("tout")).put("cost_micros", rs.getLong("cost")))
                    .list();
        });
        if (user == null) { // process-wide counts since start-up, for admins
            ObjectNode caches = answer.putObject("answer_cache");
            services.router().cacheCounts().forEach(c -> caches.putObject(c.cache()).put("hits", c.hits())
                    .put("misses", c.misses()));
        }
        ArrayNode budgets = answer.putArray("budgets");
        List<Budgets.Status> statuses = services.router().budgets().map(b -> b.status(me.userId())).orElse(List.of());
        for (Budgets.Status s : statuses) {
            budgets.addObject().put("scope", s.scope()).put("period", s.period()).put("limit_micros", s.limitMicros())
                    .put("used_micros", s.spentMicros()).put("resets_at", s.resetsAt().toEpochMilli());
        }
        HttpServer.json(ctx, 200, answer);
    }

    private void audit(Context ctx) {
        Principal me = Access.principal(ctx);
        int limit = Bodies.number(ctx, "limit", 100, 1, 1000);
        String before = ctx.queryParam("before");
        Long until;
        try {
            until = before == null || before.isBlank() ? null : Long.parseLong(before.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("'before' is '" + before + "', not a time in epoch milliseconds",
                    "pass the created_at of the oldest entry you have");
        }
        AuditLog log = services.gate().audit();
        List<AuditLog.Entry> entries = log.list(new AuditLog.Filter(me.role() == Role.ADMIN ? null : me.userId(),
                null, null, null, until, limit));
        ObjectNode answer = Json.object();
        ArrayNode list = answer.putArray("entries");
        for (AuditLog.Entry e : entries) {
            ObjectNode node = Json.mapper().valueToTree(e);
            node.set("arguments", e.arguments() == null ? null : Json.parse(e.arguments()));
            list.add(node);
        }
        answer.put("chain_ok", log.verify().ok());
        HttpServer.json(ctx, 200, answer);
    }

    /** The sections a settings change may replace; providers hold secrets and stay a matter for the file. */
    static final List<String> EDITABLE = List.of("routing", "budgets");

    private synchronized void change(Context ctx) {
        Principal me = Access.admin(ctx);
        JsonNode body = Bodies.object(ctx);
        List<String> unknown = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!EDITABLE.contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty() || body.isEmpty()) {
            throw ApiError.badRequest(body.isEmpty() ? "nothing to change" : "cannot change " + unknown + " here",
                    "send routing and/or budgets; edit steward.yaml for the rest (providers hold secrets)");
        }
        java.nio.file.Path file = services.config().file();
        String text;
        try {
            text = java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String key : EDITABLE) {
            if (body.has(key)) {
                text = SettingsFile.patchSection(text, key, SettingsFile.section(body, key));
            }
        }
        SettingsFile.save(file, text);
        services.gate().audit().append(me.userId(), "configuration", null, body, "changed",
                "PUT /api/settings wrote " + file, 0, null, null);
        ObjectNode answer = Json.object().put("saved", file.toString()).put("restart_required", true);
        body.fieldNames().forEachRemaining(answer.putArray("changed")::add);
        HttpServer.json(ctx, 200, answer);
    }

    private void settings(Context ctx) {
        Access.admin(ctx);
        ObjectNode answer = services.settings().get().deepCopy();
        // Every routing key, so that a form shows what it does not change; what the settings already say wins.
        ObjectNode routing = Json.mapper().valueToTree(services.config().routing());
        if (answer.get("routing") instanceof ObjectNode shown) {
            routing.setAll(shown);
        }
        answer.set("routing", routing);
        answer.set("budgets", Json.mapper().valueToTree(services.config().budgets()));
        HttpServer.json(ctx, 200, answer);
    }
}
