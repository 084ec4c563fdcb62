package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.ActionsConfig;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.util.List;

/**
 * shell.run: {@code /bin/sh -c command} inside the {@link Sandbox}: the workspace is the only writable folder, no
 * network unless configured, limits on wall time, CPU, memory, processes and output. Without bubblewrap the tool
 * is disabled: there is no fallback.
 */
final class ShellTool implements Tool {
    static final String NAME = "shell.run";

    private final ActionsConfig.Shell limits;
    private final ToolSpec spec;
    private final Sandbox sandbox;
    private final Workspace workspace;

    ShellTool(Path workspace, ActionsConfig.Shell limits) {
        this.limits = limits;
        this.sandbox = new Sandbox(workspace);
        this.workspace = new Workspace(workspace);
        this.spec = new ToolSpec(NAME, "Run a shell command (/bin/sh -c) in a sandbox: only the workspace (as the "
                + "current folder, /workspace) is visible and writable, "
                + (limits.network() ? "with network" : "no network") + ", limited time, memory and output."
                + (sandbox.available() ? "" : " DISABLED: bubblewrap is not installed."),
                Json.parse("""
                        {"type":"object","properties":{
                          "command":{"type":"string","minLength":1},
                          "folder":{"type":"string","description":"a folder of the workspace to run in: then only it is visible and writable (as /workspace)"},
                          "timeout_seconds":{"type":"integer","minimum":1,"maximum":%d}},
                         "required":["command"],"additionalProperties":false}""".formatted(limits.maxTimeoutSeconds())),
                Risk.WRITE);
    }

    /** The bubblewrap program, or null if it is not installed. */
    static String findBwrap() {
        return Sandbox.findBwrap();
    }

    /** Whether a fork bomb is bounded here: a pids cgroup we can make, or RLIMIT_NPROC (which binds non-root users). */
    static boolean processLimitEnforced() {
        return Sandbox.processLimitEnforced();
    }

    boolean available() {
        return sandbox.available();
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) {
        if (!sandbox.available()) {
            return ToolResult.failed("shell.run is disabled: bubblewrap (bwrap) is not installed, and Steward never runs "
                    + "commands outside a sandbox; install it with 'sudo apt-get install bubblewrap' (see steward doctor)");
        }
        int timeout = arguments.path("timeout_seconds").asInt(limits.timeoutSeconds());
        timeout = Math.max(1, Math.min(timeout, limits.maxTimeoutSeconds()));
        Sandbox.Result ran;
        try {
            // A narrower sandbox: a project's tests run with only the project's folder, not the whole workspace.
            Sandbox in = arguments.hasNonNull("folder") ? new Sandbox(folder(arguments.path("folder").asText()))
                    : sandbox;
            ran = in.run(List.of("/bin/sh", "-c", arguments.path("command").asText()), List.of(),
                    limits.network(), Sandbox.Limits.of(limits, timeout));
        } catch (Sandbox.Unavailable e) {
            return ToolResult.failed(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ToolResult.failed("interrupted");
        }
        ObjectNode result = Json.object().put("exit_code", ran.exitCode()).put("stdout", ran.stdout())
                .put("stderr", ran.stderr()).put("duration_ms", ran.durationMs()).put("timed_out", ran.timedOut())
                .put("truncated", ran.truncated());
        if (ran.timedOut()) {
            return new ToolResult(result, "the command was killed after " + timeout + " s (timeout_seconds)", null);
        }
        return ToolResult.ok(result);
    }

    private Path folder(String given) {
        Path folder = workspace.resolve(given);
        if (!java.nio.file.Files.isDirectory(folder)) {
            throw new ToolException("folder '" + given + "' is not a folder of the workspace; give one that exists");
        }
        return folder;
    }
}
