package dev.steward.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.config.Role;
import dev.steward.support.Json;
import dev.steward.support.UsageException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "tools", mixinStandardHelpOptions = true,
        description = "List the tools, or call one through the same gate the agent uses.",
        subcommands = {ToolsCommand.ListTools.class, ToolsCommand.CallTool.class})
final class ToolsCommand extends CommandGroup {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every tool: name, risk and what it does.")
    static final class ListTools implements Callable<Integer> {
        @ParentCommand
        ToolsCommand tools;

        @Option(names = "--json", description = "Print JSON, including each tool's input schema.")
        boolean json;

        @Override
        public Integer call() {
            var all = tools.parent.steward().gate().tools().all();
            if (json) {
                System.out.println(Json.pretty(all.stream().map(Tool::spec).toList()));
                return Main.OK;
            }
            int width = Math.max(14, all.stream().mapToInt(t -> t.spec().name().length()).max().orElse(0));
            String row = "%-" + width + "s  %-9s  %s%n";
            System.out.printf(row, "NAME", "RISK", "DESCRIPTION");
            for (Tool tool : all) {
                System.out.printf(row, tool.spec().name(), tool.spec().risk().id(), tool.spec().description());
            }
            for (var source : tools.parent.steward().gate().tools().sources()) {
                if (source.unavailable() != null) {
                    System.out.printf(row, source.name() + ".*", "-", "unavailable: " + source.unavailable());
                }
            }
            return Main.OK;
        }
    }

    @Command(name = "call", mixinStandardHelpOptions = true,
            description = {"Call a tool with JSON arguments, e.g. steward tools call files.read '{\"path\":\"notes.txt\"}'.",
                    "The call passes the gate: policy, approval, rate limit, audit."},
            footer = {"", "Exit codes: 0 done, 1 failed or denied, 2 usage error, 3 needs approval "
                    + "(approve with 'steward approvals approve ID')."})
    static final class CallTool implements Callable<Integer> {
        @ParentCommand
        ToolsCommand tools;

        @Parameters(index = "0", paramLabel = "NAME", description = "The tool's name (see 'steward tools list').")
        String name;

        @Parameters(index = "1", paramLabel = "JSON", defaultValue = "{}", description = "The arguments, as a JSON object.")
        String arguments;

        @Option(names = "--json", description = "Print the whole outcome as JSON.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode args;
            try {
                args = Json.parse(arguments);
            } catch (IllegalArgumentException e) {
                throw new UsageException("the arguments are not JSON: " + e.getMessage());
            }
            if (!args.isObject()) {
                throw new UsageException("the arguments must be a JSON object, like '{\"path\":\"notes.txt\"}'");
            }
            ActionGate gate = tools.parent.steward().gate();
            ActionGate.Outcome outcome = gate.call(name, args, new ToolContext(Steward.LOCAL_USER, null, Role.ADMIN));
            return Output.outcome(outcome, json);
        }
    }
}
