package dev.steward.actions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.ActionsConfig;
import dev.steward.support.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attempts to get out of the workspace with files.* and shell.run: each is refused or contained, and audited.
 * One gate and home for the class, so the sandbox tests share a warm JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscapeTest {
    Path home;
    GateFixture f;
    Path workspace;

    @BeforeAll
    void open(@TempDir Path temp) throws IOException {
        home = temp;
        ActionsConfig config = new ActionsConfig(null, null, null, null, new ActionsConfig.RateLimits(10_000, 10_000),
                null, new ActionsConfig.Shell(null, 5, 10, 256, 32, 20_000), new ActionsConfig.Files(1000), null);
        f = new GateFixture(home, config);
        workspace = f.workspace;
        Files.writeString(home.resolve("secret.txt"), "host secret");
        Files.writeString(workspace.resolve("inside.txt"), "fine");
        Files.createSymbolicLink(workspace.resolve("link-out"), home.resolve("secret.txt"));
        Files.createSymbolicLink(workspace.resolve("dir-out"), home);
        Files.createSymbolicLink(workspace.resolve("dangling"), home.resolve("nowhere/new.txt"));
        Files.createSymbolicLink(workspace.resolve("dev-zero"), Path.of("/dev/zero"));
        Files.createSymbolicLink(workspace.resolve("link-in"), workspace.resolve("inside.txt"));
        Files.write(workspace.resolve("big.bin"), new byte[5000]);
    }

    @AfterAll
    void close() {
        f.close();
    }

    private void assertRefusedAndAudited(ActionGate.Outcome outcome, String expected) {
        assertThat(outcome.status()).as("%s", outcome).isEqualTo(ActionGate.Status.FAILED);
        assertThat(outcome.message()).as("%s", outcome).contains(expected);
        AuditLog.Entry row = f.lastAudit();
        assertThat(row.tool()).isEqualTo(outcome.tool());
        assertThat(row.outcome()).isEqualTo("failed");
        assertThat(row.detail()).contains(expected);
    }

    @ParameterizedTest(name = "files.read {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ../../etc/passwd                  | leads out of the workspace
            ../secret.txt                     | leads out of the workspace
            a/../../secret.txt                | leads out of the workspace
            /etc/passwd                       | outside the workspace
            /etc/shadow                       | outside the workspace
            /proc/self/environ                | outside the workspace
            /dev/zero                         | outside the workspace
            %2e%2e/secret.txt                 | URL-encoded
            ..%2fsecret.txt                   | URL-encoded
            ．．/secret.txt                    | look-alike Unicode
            ..／secret.txt                     | look-alike Unicode
            link-out                          | symbolic link out of the workspace
            dir-out/secret.txt                | symbolic link out of the workspace
            dir-out/steward.db                | symbolic link out of the workspace
            dangling                          | link to something that does not exist
            dev-zero                          | symbolic link out of the workspace
            big.bin                           | more than the limit of 1000
            """)
    void readingOutsideTheWorkspaceIsRefused(String path, String expected) {
        assertRefusedAndAudited(f.call("files.read", Json.write(Json.object().put("path", path.strip()))), expected);
    }

    @Test
    void theHomeDatabaseByAbsolutePathIsRefused() {
        assertRefusedAndAudited(f.call("files.read", Json.write(Json.object().put("path",
                home.resolve("steward.db").toString()))), "outside the workspace");
        assertRefusedAndAudited(f.call("files.read", Json.write(Json.object().put("path", "a\u0000b"))), "NUL");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            files.write  | {"path":"../escape.txt","content":"x"}           | leads out of the workspace
            files.write  | {"path":"dangling","content":"x"}                | link to something that does not exist
            files.write  | {"path":"link-out","content":"x"}                | symbolic link out of the workspace
            files.write  | {"path":"dir-out/new.txt","content":"x"}         | symbolic link out of the workspace
            files.append | {"path":"/tmp/escape.txt","content":"x"}         | outside the workspace
            files.move   | {"from":"inside.txt","to":"../moved.txt"}        | leads out of the workspace
            files.move   | {"from":"link-out","to":"x.txt"}                 | symbolic link out of the workspace
            files.list   | {"path":".."}                                    | leads out of the workspace
            files.list   | {"path":"dir-out"}                               | symbolic link out of the workspace
            files.search | {"pattern":"secret","path":"/"}                  | outside the workspace
            files.write  | {"path":"huge.txt","content":"%s"}               | more than the limit of 1000
            """)
    void writingOutsideTheWorkspaceIsRefused(String tool, String json, String expected) {
        assertRefusedAndAudited(f.call(tool, json.strip().replace("%s", "y".repeat(2000))), expected);
        assertThat(home.resolve("escape.txt")).doesNotExist();
        assertThat(home.resolve("moved.txt")).doesNotExist();
        assertThat(home.resolve("nowhere")).doesNotExist();
        assertThat(Path.of("/tmp/escape.txt")).doesNotExist();
        assertThat(home.resolve("secret.txt")).hasContent("host secret");
    }

    @Test
    void linksThatStayInsideAreFollowedAndSearchSkipsLinks() {
        assertThat(GateFixture.content(f.call("files.read", "{\"path\":\"link-in\"}")).path("content").asText()).isEqualTo("fine");
        ActionGate.Outcome search = f.call("files.search", "{\"pattern\":\"secret|fine\"}");
        assertThat(search.status()).as("%s", search).isEqualTo(ActionGate.Status.OK);
        JsonNode found = GateFixture.content(search);
        assertThat(found.path("matches").toString()).contains("inside.txt").doesNotContain("host secret");
    }

    // ---- shell.run ----

    private JsonNode shell(String command) {
        ActionGate.Outcome outcome = f.call("shell.run", Json.write(Json.object().put("command", command)));
        assertThat(f.lastAudit().tool()).isEqualTo("shell.run");
        return outcome instanceof ActionGate.Ran ran ? GateFixture.content(ran) : Json.object().put("error", outcome.message());
    }

    private void requireSandbox() {
        assertThat(BuiltinTools.sandboxAvailable())
                .as("these tests need bubblewrap: sudo apt-get install bubblewrap").isTrue();
    }

    @Test
    void theShellSeesNoHostFiles() {
        requireSandbox();
        JsonNode result = shell("cat /etc/shadow; cat /etc/passwd; ls /root /home; ls " + home + "; cat "
                + home.resolve("steward.db") + "; cat " + home.resolve("secret.txt") + "; ls /; echo done");
        assertThat(result.path("stdout").asText()).endsWith("done\n").doesNotContain("root:", "host secret", "SQLite");
        assertThat(result.path("stderr").asText()).contains("/etc/shadow: No such file", "/root", "No such file");
        assertThat(result.path("stdout").asText()).contains("workspace").doesNotContain("home\n", "root\n");
    }

    @Test
    void theShellCannotWriteOutsideTheWorkspace() {
        requireSandbox();
        JsonNode result = shell("echo x > /usr/escape; echo x > /etc/escape; echo x > /tmp/t && echo tmp-ok; echo ok > in.txt");
        assertThat(result.path("stderr").asText()).contains("Read-only file system");
        assertThat(result.path("stdout").asText()).contains("tmp-ok");
        assertThat(Path.of("/usr/escape")).doesNotExist();
        assertThat(workspace.resolve("in.txt")).hasContent("ok");
    }

    @Test
    void linksMadeByTheShellAreRefusedByFiles() {
        requireSandbox();
        shell("ln -sf /etc/passwd shell-passwd; ln -sf /proc/self/environ shell-environ; ln -sf ../secret.txt shell-up;"
                + " mkfifo shell-fifo");
        assertRefusedAndAudited(f.call("files.read", "{\"path\":\"shell-passwd\"}"), "symbolic link out of the workspace");
        assertRefusedAndAudited(f.call("files.read", "{\"path\":\"shell-environ\"}"), "symbolic link out of the workspace");
        assertRefusedAndAudited(f.call("files.read", "{\"path\":\"shell-up\"}"), "symbolic link out of the workspace");
        assertRefusedAndAudited(f.call("files.write", "{\"path\":\"shell-up\",\"content\":\"x\"}"), "symbolic link out");
        assertRefusedAndAudited(f.call("files.read", "{\"path\":\"shell-fifo\"}"), "not a regular file");
        assertThat(home.resolve("secret.txt")).hasContent("host secret");
    }

    @Test
    void procAndDevAreTheSandboxesOwn() {
        requireSandbox();
        JsonNode result = shell("ls /proc | grep -c '^[0-9]'; cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /dev; "
                + "cat /proc/net/dev | tail -n +3 | cut -d: -f1");
        String out = result.path("stdout").asText();
        int processes = Integer.parseInt(out.lines().findFirst().orElseThrow().strip());
        assertThat(processes).as("only the sandbox's processes: %s", out).isLessThan(10);
        assertThat(out).doesNotContain("java", "sda", "nvme");
        assertThat(out.lines().map(String::strip).filter(l -> l.equals("lo") || l.startsWith("eth"))).containsOnly("lo");
    }

    @Test
    void theEnvironmentIsEmptyButForPathHomeAndLang() {
        requireSandbox();
        String out = shell("env | sort").path("stdout").asText();
        assertThat(out.lines().map(l -> l.split("=")[0]))
                .containsExactlyInAnyOrder("HOME", "LANG", "PATH", "PWD");
    }

    @Test
    void theNetworkIsUnreachable() throws IOException {
        requireSandbox();
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(2000);
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = Thread.startVirtualThread(() -> {
                try {
                    server.accept().close();
                    accepted.incrementAndGet();
                } catch (IOException timedOut) {
                    // nothing came
                }
            });
            int port = server.getLocalPort();
            JsonNode result = shell("(command -v bash >/dev/null && bash -c 'echo hi > /dev/tcp/127.0.0.1/" + port
                    + "' && echo bash-connected); (command -v curl >/dev/null && curl -s -m 2 http://127.0.0.1:" + port
                    + " && echo curl-connected); (command -v wget >/dev/null && wget -q -T 2 -O- http://127.0.0.1:" + port
                    + " && echo wget-connected); echo end");
            assertThat(result.path("stdout").asText()).doesNotContain("connected").contains("end");
            try {
                acceptor.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(accepted).hasValue(0);
        }
    }

    @Test
    void endlessOutputIsTruncatedWithAMarker() {
        requireSandbox();
        long started = System.nanoTime();
        JsonNode result = shell("yes steward");
        assertThat(result.path("truncated").asBoolean()).isTrue();
        assertThat(result.path("stdout").asText()).contains("[output truncated at 20000 bytes");
        assertThat(result.path("stdout").asText().length()).isLessThan(21_000);
        assertThat((System.nanoTime() - started) / 1_000_000_000).isLessThan(10);
    }

    @Test
    void sleepingForeverIsKilledAtTheTimeout() {
        requireSandbox();
        long started = System.nanoTime();
        ActionGate.Outcome outcome = f.call("shell.run", "{\"command\":\"echo start; sleep 1000\",\"timeout_seconds\":2}");
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        assertThat(outcome.status()).isEqualTo(ActionGate.Status.FAILED);
        assertThat(outcome.message()).contains("killed after 2 s");
        assertThat(GateFixture.content(outcome).path("timed_out").asBoolean()).isTrue();
        assertThat(GateFixture.content(outcome).path("stdout").asText()).isEqualTo("start\n");
        assertThat(seconds).isLessThan(8);
        assertThat(f.lastAudit().outcome()).isEqualTo("failed");
    }

    @Test
    void aForkBombIsBounded() {
        requireSandbox();
        assertThat(ShellTool.processLimitEnforced())
                .as("neither a pids cgroup nor RLIMIT_NPROC can bound processes on this machine").isTrue();
        long started = System.nanoTime();
        JsonNode result = shell("bomb() { bomb | bomb & }; bomb; sleep 1; ls /proc | grep -c '^[0-9]'");
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        assertThat(seconds).isLessThan(10);
        String count = result.path("stdout").asText().strip();
        if (!count.isEmpty() && count.matches("\\d+")) {
            assertThat(Integer.parseInt(count)).isLessThanOrEqualTo(34);
        }
        assertThat(shell("echo alive").path("stdout").asText()).isEqualTo("alive\n");
    }

    @Test
    void memoryIsLimited() {
        requireSandbox();
        JsonNode result = shell("head -c 400000000 /dev/zero | tr '\\0' 'x' | (v=$(cat); echo ${#v})");
        assertThat(result.path("stdout").asText().strip()).isNotEqualTo("400000000");
    }
}
