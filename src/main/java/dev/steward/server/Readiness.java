package dev.steward.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.identity.Accounts;
import dev.steward.memory.MemoryQuery;
import dev.steward.support.Json;
import io.javalin.http.Context;

/** {@code GET /ready}: 200 when the database and the memory index both answer a query, 503 with the reason if not. */
final class Readiness {
    private final Services services;

    Readiness(Services services) {
        this.services = services;
    }

    void check(Context ctx) {
        ObjectNode answer = Json.object();
        boolean database = probe(answer, "database", () -> services.database().jdbi()
                .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one()));
        boolean index = probe(answer, "index", () -> services.search()
                .search(MemoryQuery.of(Accounts.LOCAL_USER, "readiness", 1)));
        answer.put("status", database && index ? "ready" : "not ready");
        HttpServer.json(ctx, database && index ? 200 : 503, answer);
    }

    private static boolean probe(ObjectNode answer, String name, Runnable query) {
        try {
            query.run();
            answer.put(name, "ok");
            return true;
        } catch (RuntimeException e) {
            answer.put(name, "failed: " + e.getMessage());
            return false;
        }
    }
}
