package dev.steward.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.Risk;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.ToolSource;
import dev.steward.config.Role;
import dev.steward.identity.Accounts;
import dev.steward.support.Version;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * Steward's tools served over MCP (the official Java SDK), on stdio ({@code steward mcp}) or streamable HTTP
 * ({@code /mcp} of {@code steward serve}). Every call passes the same gate as {@code steward tools call}: user
 * "local", policy, approvals, rate limits, audit. A call that needs approval is answered with {@code isError: true}
 * (the action has not happened) and a text that names the approval and how to approve it.
 */
public final class McpService {
    private final ActionGate gate;
    private final ObjectMapper json = new ObjectMapper();
    private final McpJsonMapper mapper = new JacksonMcpJsonMapper(json);

    public McpService(ActionGate gate) {
        this.gate = gate;
    }

    /** Serves on the given streams (stdin and the real stdout) until the client closes them. */
    public McpSyncServer stdio(InputStream in, OutputStream out) {
        return serve(McpServer.sync(new StdioServerTransportProvider(mapper, in, out)));
    }

    /** The servlet for /mcp and the server behind it; only loopback hosts and origins are accepted. */
    public record Http(HttpServletStreamableServerTransportProvider servlet, McpSyncServer server) {}

    public Http http() {
        List<String> hosts = List.of("127.0.0.1:*", "localhost:*", "[::1]:*");
        var transport = HttpServletStreamableServerTransportProvider.builder().jsonMapper(mapper).mcpEndpoint("/mcp")
                // The server's access filter has found who calls; their tool calls run and are audited as them.
                .contextExtractor(request -> McpTransportContext.create(Map.of(
                        HttpServer.MCP_USER, request.getAttribute(HttpServer.MCP_USER),
                        HttpServer.MCP_ROLE, request.getAttribute(HttpServer.MCP_ROLE))))
                .securityValidator(DefaultServerTransportSecurityValidator.builder().allowedHosts(hosts)
                        .allowedOrigins(hosts.stream().map(h -> "http://" + h).toList()).build())
                .build();
        return new Http(transport, serve(McpServer.sync(transport)));
    }

    /** Steward's tools on either transport; the gate validates arguments, so the SDK need not. */
    private McpSyncServer serve(McpServer.SyncSpecification<?> server) {
        return withExternalTools(server.serverInfo("steward", Version.current()).jsonMapper(mapper)
                .validateToolInputs(false)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(localTools()).build());
    }

    /** Steward's own tools, registered before the server reads its first request (a client may call at once). */
    private List<SyncToolSpecification> localTools() {
        return gate.tools().local().stream().map(this::specification).toList();
    }

    /**
     * The tools of external MCP servers, added as each server answers (in the background, so that a slow or broken
     * one never holds the others up), announced with a list-changed notification.
     */
    private McpSyncServer withExternalTools(McpSyncServer server) {
        for (ToolSource source : gate.tools().sources()) {
            Thread.ofVirtual().name("mcp-source-" + source.name()).start(() -> {
                for (Tool tool : source.tools()) {
                    try {
                        server.addTool(specification(tool));
                    } catch (RuntimeException e) {
                        System.err.println("steward: cannot serve " + tool.spec().name() + ": " + e.getMessage());
                    }
                }
                if (source.unavailable() != null) {
                    System.err.println("steward: MCP server " + source.name() + " is unavailable: " + source.unavailable());
                }
            });
        }
        return server;
    }

    @SuppressWarnings("unchecked")
    private SyncToolSpecification specification(Tool tool) {
        var spec = tool.spec();
        var annotations = new McpSchema.ToolAnnotations(null, spec.risk() == Risk.READ,
                spec.risk() == Risk.DANGEROUS, null, spec.risk() == Risk.EXTERNAL, null);
        McpSchema.Tool described = McpSchema.Tool.builder().name(spec.name()).description(spec.description())
                .inputSchema(json.convertValue(spec.inputSchema(), Map.class)).annotations(annotations).build();
        return new SyncToolSpecification(described, (exchange, request) -> call(request, caller(exchange)));
    }

    /** Who calls: over HTTP the key's user (set by the server's access filter), over stdio the local user. */
    private static ToolContext caller(io.modelcontextprotocol.server.McpSyncServerExchange exchange) {
        var context = exchange.transportContext();
        Object user = context == null ? null : context.get(HttpServer.MCP_USER);
        return user == null ? new ToolContext(Accounts.LOCAL_USER, null, Role.ADMIN)
                : new ToolContext(user.toString(), null, (Role) context.get(HttpServer.MCP_ROLE));
    }

    McpSchema.CallToolResult call(McpSchema.CallToolRequest request, ToolContext caller) {
        JsonNode args = request.arguments() == null ? json.createObjectNode() : json.valueToTree(request.arguments());
        ActionGate.Outcome outcome = gate.call(request.name(), args, caller);
        return result(outcome);
    }

    private McpSchema.CallToolResult result(ActionGate.Outcome outcome) {
        var result = McpSchema.CallToolResult.builder();
        if (outcome instanceof ActionGate.Ran ran && ran.ok()) {
            JsonNode content = ran.result().content();
            result.addTextContent(content == null ? "" : content.isTextual() ? content.asText() : content.toPrettyString());
            if (content != null && content.isObject()) {
                result.structuredContent(json.convertValue(content, Map.class));
            }
            return result.isError(false).build();
        }
        String text = switch (outcome) {
            case ActionGate.NeedsApproval waiting -> "Not done yet: " + waiting.message() + " (approval id "
                    + waiting.approvalId() + "). Once a person approves it, Steward carries the call out itself.";
            case ActionGate.Denied denied -> "Denied: " + denied.message();
            case ActionGate.Ran failed -> failed.tool() + " failed: " + failed.message();
            case ActionGate.Refused refused -> refused.tool() + " failed: " + refused.message();
        };
        result.addTextContent(text);
        ObjectNode structured = json.createObjectNode().put("status", outcome.status().id())
                .put("message", outcome.message());
        if (outcome.approvalId() != null) {
            structured.put("approval_id", outcome.approvalId());
            structured.put("approve_with", "steward approvals approve " + outcome.approvalId());
        }
        if (outcome instanceof ActionGate.Ran ran && ran.result().content() != null) {
            structured.set("content", ran.result().content());
        }
        return result.structuredContent(json.convertValue(structured, Map.class)).isError(true).build();
    }
}
