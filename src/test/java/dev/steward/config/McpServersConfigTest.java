package dev.steward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mcp_servers in steward.yaml: how it is read and checked, and how 'steward mcp add/remove' edit it as text. */
class McpServersConfigTest {
    @TempDir
    Path home;

    private StewardConfig load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(home.resolve("steward.yaml"), yaml, StandardCharsets.UTF_8);
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("STEWARD_HOME", home.toString());
        return new ConfigLoader(all).load();
    }

    @Test
    void readsStdioAndHttpServersWithDefaultsAndEnvironmentReferences() throws IOException {
        StewardConfig config = load("""
                mcp_servers:
                  - name: fs
                    command: npx
                    args: [-y, "@modelcontextprotocol/server-filesystem", /srv]
                    env: {TOKEN: "${MY_TOKEN}"}
                    read_only: true
                  - name: search
                    url: http://127.0.0.1:3001/mcp
                    timeout_seconds: 5
                """, Map.of("MY_TOKEN", "t0k"));
        assertThat(config.mcpServers()).containsExactly(
                new McpServerConfig("fs", "npx", List.of("-y", "@modelcontextprotocol/server-filesystem", "/srv"),
                        Map.of("TOKEN", "t0k"), null, true, 30),
                new McpServerConfig("search", null, null, null, "http://127.0.0.1:3001/mcp", false, 5));
    }

    @Test
    void aServerNeedsExactlyOneOfCommandAndUrlAndAUniqueName() {
        assertThat(catchThrowableOfType(ConfigException.class, () -> load("mcp_servers:\n  - name: x\n", Map.of())))
                .hasMessageContaining("mcp_servers.x").hasMessageContaining("needs a command or a url");
        assertThat(catchThrowableOfType(ConfigException.class, () -> load(
                "mcp_servers:\n  - name: x\n    command: a\n    url: http://h/mcp\n", Map.of())))
                .hasMessageContaining("both a command and a url");
        assertThat(catchThrowableOfType(ConfigException.class, () -> load(
                "mcp_servers:\n  - name: x\n    command: a\n  - name: x\n    command: b\n", Map.of())))
                .hasMessageContaining("two MCP servers are named x");
        assertThat(catchThrowableOfType(ConfigException.class, () -> load(
                "mcp_servers:\n  - name: a.b\n    command: a\n", Map.of())))
                .hasMessageContaining("not a usable name");
        assertThat(catchThrowableOfType(ConfigException.class, () -> load(
                "mcp_servers:\n  - name: x\n    url: ftp://h\n", Map.of())))
                .hasMessageContaining("not an http(s) URL");
    }

    @Test
    void addAndRemoveKeepEverythingElseInTheFileAsWritten() throws IOException {
        String original = """
                # my settings, with comments
                routing:
                  mode: offline   # keep me offline

                workspace: work   # my folder
                """;
        Path file = home.resolve("steward.yaml");
        Files.writeString(file, original);
        McpServersFile.add(file, new McpServerConfig("fs", "node", List.of("server.js", "/a dir/with \"quotes\""),
                Map.of(), null, true, null));
        McpServersFile.add(file, new McpServerConfig("web", null, null, null, "http://127.0.0.1:9/mcp", false, null));
        String added = Files.readString(file);
        assertThat(added).startsWith(original);
        StewardConfig config = load(added, Map.of());
        assertThat(config.mcpServers()).extracting(McpServerConfig::name).containsExactly("fs", "web");
        assertThat(config.mcpServers().getFirst().args()).containsExactly("server.js", "/a dir/with \"quotes\"");
        assertThat(config.mcpServers().getFirst().readOnly()).isTrue();

        assertThat(McpServersFile.remove(file, "fs")).isTrue();
        assertThat(McpServersFile.remove(file, "nope")).isFalse();
        String removed = Files.readString(file);
        assertThat(removed).startsWith(original).doesNotContain("server.js").contains("name: \"web\"");
        assertThat(load(removed, Map.of()).mcpServers()).extracting(McpServerConfig::name).containsExactly("web");
    }

    @Test
    void addsToAListInTheMiddleOfTheFileAndToAnEmptyFlowList() throws IOException {
        Path file = home.resolve("steward.yaml");
        Files.writeString(file, """
                mcp_servers:
                  - name: one
                    command: a   # first

                # the workspace
                workspace: w
                """);
        McpServersFile.add(file, new McpServerConfig("two", "b", null, null, null, null, null));
        String text = Files.readString(file);
        assertThat(text).contains("# the workspace\nworkspace: w").contains("command: a   # first");
        assertThat(load(text, Map.of()).mcpServers()).extracting(McpServerConfig::name).containsExactly("one", "two");

        Files.writeString(file, "mcp_servers: []   # none yet\n");
        McpServersFile.add(file, new McpServerConfig("one", "a", null, null, null, null, null));
        assertThat(load(Files.readString(file), Map.of()).mcpServers()).hasSize(1);
    }
}
