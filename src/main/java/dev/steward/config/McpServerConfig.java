package dev.steward.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An external MCP server whose tools become Steward tools, named {@code NAME.tool}. Exactly one of {@code command}
 * (a local process spoken to over stdio) or {@code url} (streamable HTTP) is set.
 *
 * @param name           what its tools are prefixed with: letters, digits, '_' and '-'
 * @param command        the program to start (found on PATH), for a stdio server
 * @param args           its arguments
 * @param env            environment variables added for it; values may be ${NAME}
 * @param url            the server's streamable HTTP endpoint, such as http://127.0.0.1:3001/mcp
 * @param readOnly       its tools only read (default false): they run without approval, as read-risk tools
 * @param timeoutSeconds how long connecting, and then each call, may take (default 30)
 */
public record McpServerConfig(String name, String command, List<String> args, Map<String, String> env, String url,
                              Boolean readOnly, Integer timeoutSeconds) {
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");

    public McpServerConfig {
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? Map.of() : Map.copyOf(env);
        readOnly = readOnly != null && readOnly;
        timeoutSeconds = timeoutSeconds == null ? 30 : timeoutSeconds;
    }

    public boolean stdio() {
        return command != null;
    }

    /** How it is reached, for listings: the command line or the URL. */
    public String target() {
        return stdio() ? String.join(" ", java.util.stream.Stream.concat(java.util.stream.Stream.of(command),
                args.stream()).toList()) : url;
    }
}
