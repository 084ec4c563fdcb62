package dev.steward.actions;

import dev.steward.config.McpServerConfig;
import java.time.Clock;
import java.util.List;

/** External MCP servers as tool sources: nothing is started or reached until one of their tools is needed. */
public final class McpServers {
    private McpServers() {}

    public static List<ToolSource> sources(List<McpServerConfig> servers, String clientVersion) {
        return servers.stream().<ToolSource>map(s -> new McpToolSource(s, clientVersion, Clock.systemUTC())).toList();
    }
}
