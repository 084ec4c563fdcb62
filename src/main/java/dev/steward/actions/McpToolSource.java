package dev.steward.actions;

import dev.steward.support.Errors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.McpServerConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.common.McpTransportContext;
import dev.steward.telemetry.Tracing;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * One external MCP server, through the official MCP Java SDK: started (stdio) or reached (streamable HTTP) on first
 * use, within its timeout. If it will not start, or stops, its tools are unavailable with the reason; it is tried
 * again on a later use, at most every {@link #RETRY_MILLIS}.
 */
final class McpToolSource implements ToolSource {
    static final long RETRY_MILLIS = 30_000;
    private static final int STDERR_LINES = 5;
    /** Where the caller's trace headers travel in the MCP transport context. */
    private static final String TRACE_HEADERS = "steward.trace";

    private final McpServerConfig config;
    private final String clientVersion;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Deque<String> stderr = new ArrayDeque<>();
    private McpSyncClient client;
    private List<Tool> tools = List.of();
    private String unavailable;
    private long failedAt;

    McpToolSource(McpServerConfig config, String clientVersion, Clock clock) {
        this.config = config;
        this.clientVersion = clientVersion;
        this.clock = clock;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public synchronized List<Tool> tools() {
        if (client == null && (unavailable == null || clock.millis() - failedAt >= RETRY_MILLIS)) {
            connect();
        }
        return tools;
    }

    @Override
    public synchronized String unavailable() {
        return unavailable;
    }

    private void connect() {
        String missing = config.stdio() ? missingCommand(config.command(), config.env()) : null;
        if (missing != null) {
            fail(missing);
            return;
        }
        Duration timeout = Duration.ofSeconds(config.timeoutSeconds());
        McpSyncClient connecting = null;
        try {
            connecting = McpClient.sync(transport(timeout)).requestTimeout(timeout).initializationTimeout(timeout)
                    .clientInfo(new McpSchema.Implementation("steward", clientVersion))
                    .transportContextProvider(McpToolSource::traceContext).build();
            connecting.initialize();
            List<Tool> listed = new ArrayList<>();
            String cursor = null;
            do {
                McpSchema.ListToolsResult page = connecting.listTools(cursor);
                for (McpSchema.Tool tool : page.tools()) {
                    listed.add(new McpTool(this, tool.name(), spec(tool)));
                }
                cursor = page.nextCursor();
            } while (cursor != null && !cursor.isEmpty());
            client = connecting;
            tools = List.copyOf(listed);
            unavailable = null;
        } catch (RuntimeException e) {
            if (connecting != null) {
                connecting.close();
            }
            fail(describe(e));
        }
    }

    /** Why the command cannot be started (not found on PATH, not executable), or null; saves waiting for a timeout. */
    static String missingCommand(String command, Map<String, String> env) {
        if (command.contains("/")) {
            java.nio.file.Path path = java.nio.file.Path.of(command);
            return java.nio.file.Files.isExecutable(path) ? null
                    : "the command " + command + (java.nio.file.Files.exists(path) ? " is not executable" : " does not exist");
        }
        String path = env.getOrDefault("PATH", System.getenv("PATH"));
        for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, command))) {
                return null;
            }
        }
        return "the command '" + command + "' is not found on PATH";
    }

    private McpClientTransport transport(Duration timeout) {
        JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(json);
        if (config.stdio()) {
            ServerParameters parameters = ServerParameters.builder(config.command()).args(config.args())
                    .env(config.env()).build();
            StdioClientTransport transport = new StdioClientTransport(parameters, mapper);
            transport.setStdErrorHandler(this::stderrLine);
            return transport;
        }
        return HttpClientStreamableHttpTransport.builder(config.url()).jsonMapper(mapper).connectTimeout(timeout)
                .httpRequestCustomizer(McpToolSource::sendTrace).build();
    }

    /** The caller's trace headers, taken on the calling thread: the client sends from threads of its own. */
    private static McpTransportContext traceContext() {
        return McpTransportContext.create(Map.of(TRACE_HEADERS, Tracing.headers()));
    }

    private static void sendTrace(java.net.http.HttpRequest.Builder request, String method, java.net.URI uri,
                                  String body, McpTransportContext context) {
        if (context != null && context.get(TRACE_HEADERS) instanceof Map<?, ?> headers) {
            headers.forEach((name, value) -> request.header(name.toString(), value.toString()));
        }
    }

    private void stderrLine(String line) {
        synchronized (stderr) {
            if (stderr.size() == STDERR_LINES) {
                stderr.removeFirst();
            }
            stderr.addLast(line);
        }
    }

    private void fail(String reason) {
        String lastWords;
        synchronized (stderr) {
            lastWords = String.join(" | ", stderr);
        }
        unavailable = reason + (lastWords.isBlank() ? "" : " (its stderr: " + lastWords + ")");
        failedAt = clock.millis();
        tools = List.of();
        if (client != null) {
            McpSyncClient dead = client;
            client = null;
            try {
                dead.close();
            } catch (RuntimeException ignored) {
                // Already gone.
            }
        }
    }

    private String describe(Throwable e) {
        Throwable root = Errors.root(e);
        String what = config.stdio() ? "'" + config.command() + "' did not start as an MCP server"
                : config.url() + " did not answer as an MCP server";
        if (root instanceof java.util.concurrent.TimeoutException || String.valueOf(root.getMessage()).contains("Did not observe")) {
            return what + ": no answer within " + config.timeoutSeconds() + " s";
        }
        return what + ": " + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    private ToolSpec spec(McpSchema.Tool tool) {
        JsonNode schema = tool.inputSchema() == null ? json.createObjectNode().put("type", "object")
                : json.valueToTree(tool.inputSchema());
        String description = tool.description() == null || tool.description().isBlank()
                ? "(" + config.name() + " MCP server)" : tool.description();
        return new ToolSpec(config.name() + "." + tool.name(), description, schema,
                config.readOnly() ? Risk.READ : Risk.EXTERNAL);
    }

    boolean readOnly() {
        return config.readOnly();
    }

    /** Calls one of its tools; a server that has stopped is reported, and tried again on a later use. */
    ToolResult call(String tool, JsonNode arguments) {
        McpSyncClient current;
        synchronized (this) {
            if (client == null) {
                tools();
            }
            current = client;
            if (current == null) {
                return ToolResult.failed("MCP server " + config.name() + " is unavailable: " + unavailable);
            }
        }
        McpSchema.CallToolResult result;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> args = json.convertValue(arguments, Map.class);
            result = current.callTool(new McpSchema.CallToolRequest(tool, args));
        } catch (RuntimeException e) {
            String reason = describe(e);
            synchronized (this) {
                if (client == current) {
                    fail("stopped answering: " + reason);
                }
            }
            return ToolResult.failed("MCP server " + config.name() + ": " + reason);
        }
        return toResult(result);
    }

    /** An MCP result as a Steward result: {"text": all text parts joined} plus other parts and structured content. */
    ToolResult toResult(McpSchema.CallToolResult result) {
        ObjectNode content = json.createObjectNode();
        StringBuilder text = new StringBuilder();
        ArrayNode other = json.createArrayNode();
        for (McpSchema.Content part : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
            if (part instanceof McpSchema.TextContent t) {
                text.append(text.isEmpty() ? "" : "\n").append(t.text());
            } else {
                other.add(json.valueToTree(part));
            }
        }
        content.put("text", text.toString());
        if (!other.isEmpty()) {
            content.set("content", other);
        }
        if (result.structuredContent() != null) {
            content.set("structured", json.valueToTree(result.structuredContent()));
        }
        if (Boolean.TRUE.equals(result.isError())) {
            return new ToolResult(content, text.isEmpty() ? "the tool reported an error" : text.toString(), null);
        }
        return ToolResult.ok(content);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            try {
                client.closeGracefully();
            } catch (RuntimeException ignored) {
                // Closing is best effort.
            }
            client = null;
        }
    }

    /** One tool of the server, under Steward's name for it. */
    private record McpTool(McpToolSource server, String remoteName, ToolSpec spec) implements Tool {
        @Override
        public ToolResult call(JsonNode arguments, ToolContext context) {
            return server.call(remoteName, arguments);
        }

        @Override
        public boolean needsApprovalByDefault() {
            return !server.readOnly();
        }
    }
}
