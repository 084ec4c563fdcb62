package dev.steward.app;

import dev.steward.actions.Tool;
import dev.steward.actions.ToolSource;
import dev.steward.config.McpServerConfig;
import dev.steward.config.McpServersFile;
import dev.steward.server.McpService;
import dev.steward.support.UsageException;
import io.modelcontextprotocol.server.McpSyncServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = {"Without a subcommand: serve every Steward tool over MCP on stdio (for MCP clients such as"
                + " desktop assistants and IDEs). Calls pass the same gate as 'steward tools call'.",
                "With one: manage the external MCP servers whose tools become Steward tools (NAME.tool)."},
        subcommands = {McpCommand.Add.class, McpCommand.ListServers.class, McpCommand.Remove.class},
        footer = {"", "Examples:",
                "  steward mcp                                   serve over stdio (nothing but protocol on stdout)",
                "  steward mcp add fs -- npx -y @modelcontextprotocol/server-filesystem /srv/docs",
                "  steward mcp add search --url http://127.0.0.1:3001/mcp --read-only",
                "  steward mcp list"})
final class McpCommand implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    @Override
    public Integer call() throws InterruptedException {
        // stdout belongs to the protocol: anything else printed (by us or a library) goes to stderr.
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        System.setOut(System.err);
        CountDownLatch closed = new CountDownLatch(1);
        InputStream in = new FilterInputStream(new FileInputStream(FileDescriptor.in)) {
            @Override
            public int read() throws IOException {
                return ended(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return ended(super.read(b, off, len));
            }

            private int ended(int n) {
                if (n < 0) {
                    closed.countDown();
                }
                return n;
            }
        };
        Steward steward = parent.longLivedSteward();
        McpSyncServer server = new McpService(steward.gate()).stdio(in, protocol);
        System.err.println("steward: serving " + steward.gate().tools().local().size()
                + " tools over MCP on stdio" + (steward.gate().tools().sources().isEmpty() ? ""
                : ", and those of " + steward.gate().tools().sources().size() + " MCP servers as they answer"));
        closed.await();
        server.closeGracefully();
        return Main.OK;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add an external MCP server to steward.yaml: its tools become NAME.tool.",
                    "Its tools need approval unless you mark it --read-only."},
            footer = {"", "  steward mcp add NAME [--read-only] -- COMMAND [ARGS...]   a local server, over stdio",
                    "  steward mcp add NAME [--read-only] --url URL              a server over streamable HTTP"})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        McpCommand mcp;

        @Parameters(index = "0", paramLabel = "NAME", description = "Its name: letters, digits, '_' or '-'.")
        String name;

        @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "0..*",
                description = "After '--': the command that starts it, and its arguments.")
        List<String> command = new ArrayList<>();

        @Option(names = "--url", description = "Its streamable HTTP endpoint, such as http://127.0.0.1:3001/mcp.")
        String url;

        @Option(names = "--read-only", description = "Its tools only read: they run without approval.")
        boolean readOnly;

        @Option(names = "--env", paramLabel = "KEY=VALUE", description = "An environment variable for it (repeatable);"
                + " write the value as ${NAME} to take it from Steward's environment.")
        Map<String, String> env = new LinkedHashMap<>();

        @Override
        public Integer call() {
            if (!McpServerConfig.NAME.matcher(name).matches()) {
                throw new UsageException("'" + name + "' is not a usable name: use letters, digits, '_' or '-'");
            }
            if (command.isEmpty() == (url == null)) {
                throw new UsageException(command.isEmpty() ? "give the command after '--' (steward mcp add " + name
                        + " -- COMMAND ARGS...) or --url URL" : "give either a command or --url, not both");
            }
            Steward steward = mcp.parent.steward();
            if (steward.config().mcpServers().stream().anyMatch(s -> s.name().equals(name))) {
                throw new UsageException("there is already an MCP server named " + name
                        + "; remove it first with 'steward mcp remove " + name + "'");
            }
            for (Tool tool : steward.builtinTools()) {
                if (tool.spec().name().startsWith(name + ".")) {
                    throw new UsageException("'" + name + "' is the prefix of Steward's own tools ("
                            + tool.spec().name() + "); choose another name");
                }
            }
            McpServerConfig server = new McpServerConfig(name, command.isEmpty() ? null : command.getFirst(),
                    command.isEmpty() ? null : command.subList(1, command.size()), env, url, readOnly, null);
            McpServersFile.add(steward.config().file(), server);
            System.out.println("Added MCP server " + name + " (" + server.target() + ") to " + steward.config().file());
            System.out.println(readOnly ? "Its tools are marked read-only: they run without approval."
                    : "Its tools need approval (mark it read_only: true in steward.yaml if they only read).");
            System.out.println("See its tools with 'steward mcp list' or 'steward tools list'.");
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The external MCP servers, each connected now: its tool count, or why it is unavailable.")
    static final class ListServers implements Callable<Integer> {
        @ParentCommand
        McpCommand mcp;

        @Override
        public Integer call() {
            Steward steward = mcp.parent.steward();
            List<McpServerConfig> servers = steward.config().mcpServers();
            if (servers.isEmpty()) {
                System.out.println("No MCP servers; add one with 'steward mcp add NAME -- COMMAND ARGS...'"
                        + " or 'steward mcp add NAME --url URL'.");
                return Main.OK;
            }
            steward.gate().tools().all(); // connects them all, side by side
            int width = Math.max(4, servers.stream().mapToInt(s -> s.name().length()).max().orElse(0));
            String row = "%-" + width + "s  %-9s  %-" + 14 + "s  %s%n";
            System.out.printf(row, "NAME", "ACCESS", "STATUS", "TARGET");
            for (ToolSource source : steward.gate().tools().sources()) {
                McpServerConfig server = servers.stream().filter(s -> s.name().equals(source.name())).findFirst()
                        .orElseThrow();
                String status = source.unavailable() != null ? "unavailable" : source.tools().size() + " tools";
                System.out.printf(row, server.name(), server.readOnly() ? "read-only" : "approval", status,
                        server.target());
                if (source.unavailable() != null) {
                    System.out.printf(row, "", "", "", "why: " + source.unavailable());
                }
            }
            return Main.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove an external MCP server from steward.yaml.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        McpCommand mcp;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Steward steward = mcp.parent.steward();
            if (!McpServersFile.remove(steward.config().file(), name)) {
                throw new UsageException("no MCP server named " + name + " in " + steward.config().file()
                        + " (see 'steward mcp list')");
            }
            System.out.println("Removed MCP server " + name + " from " + steward.config().file());
            return Main.OK;
        }
    }

}
