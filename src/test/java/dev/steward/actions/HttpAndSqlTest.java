package dev.steward.actions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.steward.config.ActionsConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpAndSqlTest {
    @TempDir
    Path home;
    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger secretRequests = new AtomicInteger();
    GateFixture f;
    String base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/page", exchange -> {
            requests.incrementAndGet();
            reply(exchange, 200, "text/html; charset=utf-8",
                    "<html><head><title>Hello page</title><script>var x=1;</script></head>"
                            + "<body><h1>Welcome</h1><p>to <b>Steward</b></p></body></html>");
        });
        server.createContext("/hop", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("Location", "/page");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/to-loopback", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + server.getAddress().getPort() + "/secret");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/secret", exchange -> {
            secretRequests.incrementAndGet();
            reply(exchange, 200, "text/plain", "metadata secrets");
        });
        server.createContext("/big", exchange -> {
            requests.incrementAndGet();
            reply(exchange, 200, "text/plain", "z".repeat(50_000));
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
        if (f != null) {
            f.close();
        }
    }

    static ActionsConfig http(ActionsConfig.Http http) {
        return new ActionsConfig(null, null, null, null, null, http, null, null, null);
    }

    @Test
    void fetchesTextFromHtmlFollowingRedirectsWhenLoopbackIsAllowed() {
        f = new GateFixture(home, http(new ActionsConfig.Http(true, null, 5, 10_000, null)));

        ActionGate.Outcome page = f.call("http.fetch", "{\"url\":\"" + base + "/hop\"}");

        assertThat(page.status()).as("%s", page).isEqualTo(ActionGate.Status.OK);
        JsonNode content = GateFixture.content(page);
        assertThat(content.path("status").asInt()).isEqualTo(200);
        assertThat(content.path("title").asText()).isEqualTo("Hello page");
        assertThat(content.path("text").asText()).isEqualTo("Welcome to Steward");
        assertThat(content.path("url").asText()).endsWith("/page");
        assertThat(f.lastAudit().outcome()).isEqualTo("ok");

        JsonNode big = GateFixture.content(f.call("http.fetch", "{\"url\":\"" + base + "/big\"}"));
        assertThat(big.path("truncated").asBoolean()).isTrue();
        assertThat(big.path("text").asText()).hasSize(10_000);
    }

    @Test
    void privateLoopbackLinkLocalAndMetadataAddressesAreRefusedBeforeConnecting() {
        f = new GateFixture(home);
        for (String url : List.of(base + "/page", "http://localhost:" + server.getAddress().getPort() + "/page",
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://192.168.1.1/",
                "http://172.16.0.1/", "http://[::1]:" + server.getAddress().getPort() + "/page",
                "http://[::ffff:127.0.0.1]:" + server.getAddress().getPort() + "/page", "http://0.0.0.0/",
                "http://100.64.0.1/", "file:///etc/passwd", "ftp://example.com/")) {
            ActionGate.Outcome outcome = f.call("http.fetch", "{\"url\":\"" + url + "\"}");
            assertThat(outcome.status()).as(url).isEqualTo(ActionGate.Status.FAILED);
            assertThat(outcome.message()).as(url).startsWith("refused");
            assertThat(f.lastAudit().outcome()).isEqualTo("failed");
        }
        assertThat(f.call("http.fetch", "{\"url\":\"http://169.254.169.254/\"}").message()).contains("cloud metadata");
        assertThat(requests).hasValue(0);
    }

    @Test
    void everyRedirectIsCheckedAgain() {
        f = new GateFixture(home, http(new ActionsConfig.Http(false, List.of("localhost"), 5, null, null)));

        ActionGate.Outcome outcome = f.call("http.fetch",
                "{\"url\":\"http://localhost:" + server.getAddress().getPort() + "/to-loopback\"}");

        assertThat(outcome.status()).isEqualTo(ActionGate.Status.FAILED);
        assertThat(outcome.message()).contains("refused").contains("127.0.0.1").contains("loopback");
        assertThat(requests).hasValue(1);
        assertThat(secretRequests).hasValue(0);
    }

    @Test
    void writingMethodsNeedApproval() {
        f = new GateFixture(home, http(new ActionsConfig.Http(true, null, 5, null, null)));
        ActionGate.Outcome post = f.call("http.fetch", "{\"url\":\"" + base + "/page\",\"method\":\"POST\",\"body\":\"x\"}");
        assertThat(post.status()).isEqualTo(ActionGate.Status.NEEDS_APPROVAL);
        assertThat(requests).hasValue(0);
    }

    // ---- sql.query ----

    private Path sqlite() throws SQLException {
        Path db = home.resolve("shop.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL)");
            for (int i = 1; i <= 20; i++) {
                s.execute("INSERT INTO items (name, price) VALUES ('item " + i + "', " + i + ".5)");
            }
        }
        return db;
    }

    static ActionsConfig sql(Map<String, ActionsConfig.SqlDatabase> databases) {
        return new ActionsConfig(null, null, null, null, null, null, null, null, databases);
    }

    @Test
    void queriesAConfiguredSqliteDatabaseWithARowLimit() throws SQLException {
        Path db = sqlite();
        f = new GateFixture(home, sql(Map.of("shop", new ActionsConfig.SqlDatabase("jdbc:sqlite:" + db, null, null,
                null, 5, 5))));

        ActionGate.Outcome rows = f.call("sql.query", "{\"database\":\"shop\",\"sql\":\"SELECT id, name FROM items ORDER BY id\"}");

        assertThat(rows.status()).as("%s", rows).isEqualTo(ActionGate.Status.OK);
        JsonNode content = GateFixture.content(rows);
        assertThat(content.path("columns").toString()).isEqualTo("[\"id\",\"name\"]");
        assertThat(content.path("rows")).hasSize(5);
        assertThat(content.path("rows").get(0).toString()).isEqualTo("[1,\"item 1\"]");
        assertThat(content.path("truncated").asBoolean()).isTrue();

        assertThat(f.call("sql.query", "{\"database\":\"nope\",\"sql\":\"SELECT 1\"}").message())
                .contains("no database named 'nope'").contains("shop");
        assertThat(f.call("sql.query", "{\"database\":\"shop\",\"sql\":\"SELECT 1; DROP TABLE items\"}").message())
                .contains("one statement at a time");
    }

    @Test
    void writingStatementsNeedApprovalAndAReadOnlyDatabaseRefusesThem() throws SQLException {
        Path db = sqlite();
        f = new GateFixture(home, sql(Map.of(
                "ro", new ActionsConfig.SqlDatabase("jdbc:sqlite:" + db, null, null, null, null, null),
                "rw", new ActionsConfig.SqlDatabase("jdbc:sqlite:" + db, null, null, true, null, null))));

        for (String sql : List.of("DELETE FROM items", "  /* hi */ update items set price = 0",
                "WITH x AS (SELECT 1) DELETE FROM items", "DROP TABLE items", "ATTACH DATABASE 'x' AS y")) {
            assertThat(SqlQueryTool.writes(sql)).as(sql).isTrue();
        }
        assertThat(SqlQueryTool.writes("-- comment\nSELECT * FROM items")).isFalse();

        ActionGate.Outcome ro = f.call("sql.query", "{\"database\":\"ro\",\"sql\":\"DELETE FROM items\"}");
        assertThat(ro.status()).isEqualTo(ActionGate.Status.NEEDS_APPROVAL);
        ActionGate.Outcome refused = f.gate.approve(ro.approvalId(), "local", null);
        assertThat(refused.message()).contains("read-only");

        ActionGate.Outcome rw = f.call("sql.query", "{\"database\":\"rw\",\"sql\":\"DELETE FROM items WHERE id > 10\"}");
        assertThat(rw.status()).isEqualTo(ActionGate.Status.NEEDS_APPROVAL);
        ActionGate.Outcome done = f.gate.approve(rw.approvalId(), "local", null);
        assertThat(done.status()).as("%s", done).isEqualTo(ActionGate.Status.OK);
        assertThat(GateFixture.content(done).path("updated").asInt()).isEqualTo(10);

        // the read-only connection itself refuses writes that slip past detection
        ActionsConfig.SqlDatabase readOnly = new ActionsConfig.SqlDatabase("jdbc:sqlite:" + db, null, null, true, null, null);
        SqlQueryTool tool = new SqlQueryTool(Map.of("x", readOnly));
        assertThat(tool.call(GateFixture.json("{\"database\":\"x\",\"sql\":\"SELECT count(*) FROM items\"}"), GateFixture.LOCAL)
                .content().path("rows").get(0).get(0).asInt()).isEqualTo(10);
    }
}
