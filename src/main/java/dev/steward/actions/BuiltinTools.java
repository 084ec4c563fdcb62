package dev.steward.actions;

import dev.steward.config.ActionsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The tools Steward brings: files.*, shell.run, http.fetch and sql.query. */
public final class BuiltinTools {
    private BuiltinTools() {}

    public static List<Tool> create(ActionsConfig config, Path workspace) {
        List<Tool> tools = new ArrayList<>(new FileTools(new Workspace(workspace), config.files().maxBytes()).tools());
        tools.add(new ShellTool(workspace, config.shell()));
        tools.add(new HttpFetchTool(config.http()));
        tools.add(new SqlQueryTool(config.databases()));
        return tools;
    }

    /** Whether shell.run can run: bubblewrap is installed. */
    public static boolean sandboxAvailable() {
        return ShellTool.findBwrap() != null;
    }
}
