package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.Role;
import dev.steward.config.ServerConfig;
import dev.steward.server.Client.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Guessing passwords over real HTTP: wrong logins lock the account, the owner hears of them, addresses not allowed. */
class LoginLockoutHttpTest {
    @TempDir
    static Path home;
    static Gateway server;

    @BeforeAll
    static void start() {
        server = Gateway.withServerConfig(home, ServerConfig.defaults());
        server.keyOf("dave", Role.STANDARD);
        server.keyOf("carol", Role.STANDARD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Response login(String name, String password) {
        return Client.anonymous(server).post("/api/auth/login",
                "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}");
    }

    @Test
    void failedLoginsAreToldToTheOwnerAndTwelveWrongInARowGet429() {
        for (int i = 0; i < 3; i++) {
            assertThat(login("dave", "guess-" + i).status()).isEqualTo(401);
        }
        Response dave = login("dave", "dave-password");
        assertThat(dave.status()).isEqualTo(200);
        assertThat(dave.json().path("notice").asText()).startsWith("3 failed logins for this account")
                .contains("127.0.0.1").contains("change your password");
        assertThat(login("dave", "dave-password").json().has("notice")).as("told once").isFalse();

        List<Integer> statuses = new ArrayList<>();
        Response last = null;
        for (int i = 0; i < 12; i++) {
            last = login("carol", "wrong-" + i);
            statuses.add(last.status());
        }
        assertThat(statuses.subList(0, 10)).containsOnly(401);
        assertThat(statuses.subList(10, 12)).containsOnly(429);
        assertThat(last.errorCode()).isEqualTo("rate_limited");
        assertThat(last.json().at("/error/message").asText()).contains("account 'carol' is locked for")
                .contains("10 failed logins in a row");
        assertThat(Long.parseLong(last.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);

        Response right = login("carol", "carol-password");
        assertThat(right.status()).as("the right password does not open a locked account").isEqualTo(429);
        assertThat(right.raw().headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void anAddressOutsideTheAllowlistIsTurnedAwayAndOneInsideIsLetIn(@TempDir Path other, @TempDir Path third) {
        try (Gateway closed = Gateway.withServerConfig(other, new ServerConfig(List.of("10.0.0.0/8", "192.168.1.20"), null));
             Gateway open = Gateway.withServerConfig(third, new ServerConfig(List.of("10.0.0.0/8", "127.0.0.1/32"), null))) {
            Response refused = Client.withKey(closed, closed.key).get("/api/tasks");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().at("/error/message").asText()).contains("127.0.0.1").contains("server.allow_ips");
            assertThat(Client.anonymous(closed).get("/health").status()).as("even health").isEqualTo(403);
            HardeningHttpTest.assertSecurityHeaders(refused.raw(), "refused");

            assertThat(Client.withKey(open, open.key).get("/api/tasks").status()).isEqualTo(200);
        }
    }
}
