package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.Role;
import dev.steward.identity.Accounts;
import dev.steward.store.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The server's own queries (accounts, owner-scoped tasks, conversations, spend, metrics) on PostgreSQL too. */
@ExtendWith(TestPostgres.class)
class ServerOnPostgresTest {
    @TempDir
    Path home;

    @Test
    void theApiWorksTheSameOnPostgres(DatabaseConfig postgres) {
        try (Gateway server = new Gateway(home, postgres, null, HttpServer.Options.defaults("127.0.0.1", 0)
                .withGraceMillis(5_000))) {
            Client alice = Client.withKey(server, server.key);
            Client admin = Client.withKey(server, server.keyOf("root", Role.ADMIN));
            JsonNode chat = alice.post("/api/chat", "{\"message\": \"hello from postgres\"}").json();
            assertThat(chat.at("/task/status").asText()).isEqualTo("done");
            String conversation = chat.get("conversation_id").asText();
            assertThat(alice.get("/api/tasks").json().get("tasks")).hasSize(1);
            assertThat(alice.get("/api/tasks?status=done").json().get("tasks")).hasSize(1);
            assertThat(alice.get("/api/conversations").json().at("/conversations/0/title").asText())
                    .isEqualTo("hello from postgres");
            assertThat(alice.get("/api/conversations/" + conversation).json().get("tasks")).hasSize(1);
            assertThat(alice.get("/api/stats").json().at("/totals/calls").asLong()).isPositive();
            assertThat(admin.get("/api/stats").json().get("by_day")).isNotEmpty();
            assertThat(alice.post("/api/memory", "{\"text\": \"remember that our project is Lighthouse\"}").status())
                    .isEqualTo(201);
            assertThat(alice.get("/api/memory?q=lighthouse").json().get("facts")).isNotEmpty();
            assertThat(alice.get("/api/audit").json().get("chain_ok").asBoolean()).isTrue();
            var samples = ServerOperationsTest.parse(admin.get("/metrics").raw().body());
            assertThat(samples).anyMatch(s -> s.name().equals("steward_model_calls_total"));
            assertThat(samples).anyMatch(s -> s.name().equals("steward_tasks") && "done".equals(s.labels().get("state"))
                    && s.value() == 1);
            assertThat(admin.get("/api/nodes").json().get("clustered").asBoolean()).isTrue();
            assertThat(alice.get("/api/nodes").status()).as("the node list is for admins").isEqualTo(403);
            assertThat(server.accounts.keys(null)).hasSize(2);
            server.accounts.removeUser("alice");
            assertThat(alice.get("/api/tasks").status()).isEqualTo(401);
            assertThat(server.accounts.keys("root")).hasSize(1);
        }
    }
}
