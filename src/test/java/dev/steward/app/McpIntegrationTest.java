package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.support.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP both ways, against other implementations: the official reference servers from npm
 * ({@code @modelcontextprotocol/server-everything}, {@code server-filesystem}) as external servers of Steward, and
 * the official TypeScript SDK's client against {@code steward mcp} (stdio) and {@code steward serve}'s /mcp.
 * They come from tools/mcp (package.json and package-lock.json), installed by .ci/run with {@code npm ci}.
 */
class McpIntegrationTest {
    static final Path MODULES = Path.of("tools/mcp/node_modules").toAbsolutePath();
    static final Path EVERYTHING = MODULES.resolve("@modelcontextprotocol/server-everything/dist/index.js");
    static final Path FILESYSTEM = MODULES.resolve("@modelcontextprotocol/server-filesystem/dist/index.js");
    static final Path CLIENT = Path.of("src/test/resources/mcp/client.cjs").toAbsolutePath();

    @TempDir
    Path home;

    @BeforeAll
    static void nodeAndTheServersAreInstalled() throws Exception {
        String node;
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            version.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            fail("node is not installed; install it (apt-get install nodejs npm) and run 'npm ci --prefix tools/mcp'"
                    + " (.ci/run does both)");
            return;
        }
        if (!Files.exists(EVERYTHING) || !Files.exists(FILESYSTEM) || !Files.isDirectory(MODULES.resolve("@modelcontextprotocol/sdk"))) {
            fail("the MCP reference servers are not installed in " + MODULES + " (node " + node
                    + "); run 'npm ci --prefix tools/mcp' (.ci/run does)");
        }
    }

    @Test
    void externalServersBecomeStewardToolsUnderTheGate() throws Exception {
        StewardProcess steward = StewardProcess.in(home);
        Path shared = Files.createDirectories(home.resolve("shared"));
        Files.writeString(shared.resolve("hello.txt"), "hello from the filesystem server\n");
        Files.createDirectories(home.resolve("workspace"));
        Files.writeString(home.resolve("workspace/notes.txt"), "mine\n");

        assertOk(steward.run("mcp", "add", "everything", "--", "node", EVERYTHING.toString(), "stdio"));
        assertOk(steward.run("mcp", "add", "fs", "--read-only", "--", "node", FILESYSTEM.toString(), shared.toString()));
        assertOk(steward.run("mcp", "add", "broken", "--", "steward-no-such-mcp-server", "--flag"));
        String yaml = Files.readString(home.resolve("steward.yaml"));
        assertThat(yaml).as("the template's comments survive").contains("# The only folder tools may touch")
                .contains("mcp_servers:").contains("read_only: true");

        StewardProcess.Result tools = steward.run("tools", "list");
        assertThat(tools.exit()).as(tools.toString()).isZero();
        assertThat(tools.out()).contains("everything.echo").contains("fs.read_text_file").contains("files.read")
                .containsPattern("broken\\.\\*\\s+-\\s+unavailable: the command 'steward-no-such-mcp-server' is not found on PATH");

        StewardProcess.Result list = steward.run("mcp", "list");
        assertThat(list.out()).as(list.toString()).containsPattern("everything\\s+approval\\s+\\d+ tools")
                .containsPattern("fs\\s+read-only\\s+\\d+ tools").containsPattern("broken\\s+approval\\s+unavailable")
                .contains("why: the command 'steward-no-such-mcp-server' is not found on PATH");

        // An external tool needs approval by default; once approved, it runs and returns the echo.
        StewardProcess.Result echo = steward.run("tools", "call", "everything.echo", "{\"message\":\"hi from steward\"}");
        assertThat(echo.exit()).as(echo.toString()).isEqualTo(Main.NEEDS_APPROVAL);
        assertThat(echo.err()).contains("not marked read_only").contains("steward approvals approve");
        Matcher id = Pattern.compile("Approval needed: (\\S+)").matcher(echo.out());
        assertThat(id.find()).as(echo.toString()).isTrue();
        StewardProcess.Result approved = steward.run("approvals", "approve", id.group(1));
        assertThat(approved.exit()).as(approved.toString()).isZero();
        assertThat(approved.out()).contains("Echo: hi from steward");

        // A read-only server's tools run at once; the built-in tools keep working beside a broken server.
        StewardProcess.Result read = steward.run("tools", "call", "fs.read_text_file",
                Json.write(Json.object().put("path", shared.resolve("hello.txt").toString())));
        assertThat(read.exit()).as(read.toString()).isZero();
        assertThat(read.out()).contains("hello from the filesystem server");
        StewardProcess.Result own = steward.run("tools", "call", "files.read", "{\"path\":\"notes.txt\"}");
        assertThat(own.exit()).as(own.toString()).isZero();
        StewardProcess.Result broken = steward.run("tools", "call", "broken.anything", "{}");
        assertThat(broken.exit()).as(broken.toString()).isEqualTo(Main.TASK_FAILED);

        StewardProcess.Result audit = steward.run("audit", "list", "--tool", "everything.echo");
        assertThat(audit.out()).as(audit.toString()).contains("requested").contains("approved").contains("ok");

        assertOk(steward.run("mcp", "remove", "broken"));
        assertThat(Files.readString(home.resolve("steward.yaml"))).doesNotContain("broken")
                .contains("# The only folder tools may touch").contains("name: \"fs\"");
        assertThat(steward.run("mcp", "list").out()).doesNotContain("broken");
    }

    @Test
    void aTypeScriptClientUsesStewardOverStdio() throws Exception {
        StewardProcess steward = prepared();
        List<String> command = new ArrayList<>(List.of("node", CLIENT.toString(), MODULES.toString(), "stdio"));
        command.addAll(StewardProcess.commandLine("mcp"));
        JsonNode result = runClient(steward, command);
        assertServed(result);
        StewardProcess.Result audit = steward.run("audit", "list", "--user", "local");
        assertThat(audit.out()).as(audit.toString()).contains("files.list").contains("files.delete");
    }

    @Test
    void aTypeScriptClientUsesStewardOverHttp() throws Exception {
        StewardProcess steward = prepared();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        StewardProcess.Running serve = steward.start("serve", "--port", Integer.toString(port));
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                if (System.nanoTime() > deadline || !serve.process().isAlive()) {
                    fail("steward serve did not come up: " + serve.finish());
                }
                Thread.sleep(200);
            }
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/mcp")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("/mcp without a key").isEqualTo(401);
            StewardProcess.Result key = steward.run("keys", "create", "--user", "local");
            assertThat(key.exit()).as(key.toString()).isZero();
            JsonNode result = runClient(steward, List.of("node", CLIENT.toString(), MODULES.toString(), "http",
                    "http://127.0.0.1:" + port + "/mcp", key.out().strip()));
            assertServed(result);
        } finally {
            serve.process().destroy();
            StewardProcess.Result stopped = serve.finish();
            // SIGTERM: the JVM ends with 143 after the graceful stop, which must not hang or print errors.
            assertThat(stopped.exit()).as(stopped.toString()).isIn(0, 143);
            assertThat(stopped.err()).as(stopped.toString()).doesNotContain("ERROR").doesNotContain("Exception");
        }
    }

    private StewardProcess prepared() throws IOException {
        Files.createDirectories(home.resolve("workspace"));
        Files.writeString(home.resolve("workspace/notes.txt"), "keep me\n");
        return StewardProcess.in(home);
    }

    private static void assertServed(JsonNode result) {
        List<String> names = new ArrayList<>();
        result.get("tools").forEach(n -> names.add(n.asText()));
        assertThat(names).contains("files.read", "files.list", "files.delete", "steward.status");
        assertThat(result.at("/schema/required/0").asText()).isEqualTo("path");
        assertThat(result.at("/list/isError").asBoolean()).isFalse();
        assertThat(result.at("/list/structuredContent/entries/0/name").asText()).isEqualTo("notes.txt");
        assertThat(result.at("/del/isError").asBoolean()).as("the deletion has not happened").isTrue();
        String approvalId = result.at("/del/structuredContent/approval_id").asText();
        assertThat(approvalId).isNotEmpty();
        assertThat(result.at("/del/content/0/text").asText()).contains("needs approval")
                .contains("steward approvals approve " + approvalId);
        assertThat(result.at("/del/structuredContent/status").asText()).isEqualTo("needs_approval");
    }

    private JsonNode runClient(StewardProcess steward, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(steward.env());
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the MCP client did not finish in 120 s: " + err.join());
        }
        assertThat(process.exitValue()).as("client exit; stdout: %s%nstderr: %s", out.join(), err.join()).isZero();
        assertThat(home.resolve("workspace/notes.txt")).as("nothing was deleted without approval").exists();
        return Json.parse(out.join().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no JSON from the client: " + out.join() + err.join())));
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertOk(StewardProcess.Result result) {
        assertThat(result.exit()).as(result.toString()).isZero();
    }
}
