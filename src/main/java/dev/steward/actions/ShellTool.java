package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.ActionsConfig;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * shell.run: {@code /bin/sh -c command} inside bubblewrap. The workspace is the only writable folder; system folders
 * are read-only; nothing else of the host is visible; no network unless configured; an empty environment; limits
 * on wall time, CPU, memory, processes and output. Without bubblewrap the tool is disabled: there is no fallback.
 */
final class ShellTool implements Tool {
    static final String NAME = "shell.run";
    static final String TRUNCATED = "\n[output truncated at %d bytes; the command was stopped]";
    private static final Path PIDS_CGROUP = Path.of("/sys/fs/cgroup/pids");

    private final Path workspace;
    private final ActionsConfig.Shell limits;
    private final ToolSpec spec;
    private final String bwrap;

    ShellTool(Path workspace, ActionsConfig.Shell limits) {
        this.workspace = workspace;
        this.limits = limits;
        this.bwrap = findBwrap();
        this.spec = new ToolSpec(NAME, "Run a shell command (/bin/sh -c) in a sandbox: only the workspace (as the "
                + "current folder, /workspace) is visible and writable, "
                + (limits.network() ? "with network" : "no network") + ", limited time, memory and output."
                + (bwrap == null ? " DISABLED: bubblewrap is not installed." : ""),
                Json.parse("""
                        {"type":"object","properties":{
                          "command":{"type":"string","minLength":1},
                          "timeout_seconds":{"type":"integer","minimum":1,"maximum":%d}},
                         "required":["command"],"additionalProperties":false}""".formatted(limits.maxTimeoutSeconds())),
                Risk.WRITE);
    }

    /** The bubblewrap program, or null if it is not installed. */
    static String findBwrap() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "bwrap");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/bwrap")) ? "/usr/bin/bwrap" : null;
    }

    /** Whether a fork bomb is bounded here: a pids cgroup we can make, or RLIMIT_NPROC (which binds non-root users). */
    static boolean processLimitEnforced() {
        return Files.isWritable(PIDS_CGROUP) || !"root".equals(System.getProperty("user.name"));
    }

    boolean available() {
        return bwrap != null;
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) {
        if (bwrap == null) {
            return ToolResult.failed("shell.run is disabled: bubblewrap (bwrap) is not installed, and Steward never runs "
                    + "commands outside a sandbox; install it with 'sudo apt-get install bubblewrap' (see steward doctor)");
        }
        int timeout = arguments.path("timeout_seconds").asInt(limits.timeoutSeconds());
        timeout = Math.max(1, Math.min(timeout, limits.maxTimeoutSeconds()));
        String command = arguments.path("command").asText();
        Path cgroup = pidsCgroup();
        List<String> argv = command(command, timeout, cgroup);
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            removeCgroup(cgroup);
            return ToolResult.failed("cannot start the sandbox: " + e.getMessage());
        }
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to tell it
        }
        AtomicBoolean overflow = new AtomicBoolean();
        int max = limits.maxOutputBytes();
        CompletableFuture<byte[]> out = drain(process.getInputStream(), max, overflow, process);
        CompletableFuture<byte[]> err = drain(process.getErrorStream(), max, overflow, process);
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout, TimeUnit.SECONDS)) {
                timedOut = true;
                kill(process);
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return ToolResult.failed("interrupted");
        } finally {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            removeCgroup(cgroup);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        String stdout = text(out.join(), max, overflow.get());
        String stderr = text(err.join(), max, overflow.get());
        ObjectNode result = Json.object().put("exit_code", process.exitValue()).put("stdout", stdout)
                .put("stderr", stderr).put("duration_ms", durationMs).put("timed_out", timedOut)
                .put("truncated", overflow.get());
        if (timedOut) {
            return new ToolResult(result, "the command was killed after " + timeout + " s (timeout_seconds)", null);
        }
        return ToolResult.ok(result);
    }

    private List<String> command(String command, int timeout, Path cgroup) {
        List<String> argv = new ArrayList<>();
        if (cgroup != null) {
            // Join the process-count cgroup first, then become bubblewrap: every process inside is counted.
            argv.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$1\" && shift && exec \"$@\"", "sh",
                    cgroup.resolve("cgroup.procs").toString()));
        }
        long memory = (long) limits.memoryMb() * 1024 * 1024;
        argv.addAll(List.of("prlimit", "--as=" + memory, "--cpu=" + timeout, "--nproc=" + limits.maxProcesses(),
                "--fsize=" + 1024L * 1024 * 1024, "--nofile=256", "--core=0", "--"));
        argv.addAll(List.of(bwrap, "--unshare-all"));
        if (limits.network()) {
            argv.add("--share-net");
        }
        argv.addAll(List.of("--die-with-parent", "--new-session", "--cap-drop", "ALL", "--uid", "1000", "--gid", "1000",
                "--ro-bind", "/usr", "/usr"));
        for (String top : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) {
            Path path = Path.of(top);
            try {
                if (Files.isSymbolicLink(path)) {
                    argv.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), top));
                } else if (Files.isDirectory(path)) {
                    argv.addAll(List.of("--ro-bind", top, top));
                }
            } catch (IOException ignored) {
                // not there
            }
        }
        List<String> etc = new ArrayList<>(List.of("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d",
                "/etc/alternatives", "/etc/localtime", "/etc/ssl/certs", "/etc/ca-certificates"));
        if (limits.network()) {
            etc.addAll(List.of("/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf"));
        }
        for (String file : etc) {
            argv.addAll(List.of("--ro-bind-try", file, file));
        }
        argv.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
                "--bind", workspace.toString(), "/workspace", "--chdir", "/workspace",
                "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", "/workspace",
                "--setenv", "LANG", "C.UTF-8", "--", "/bin/sh", "-c", command));
        return argv;
    }

    /** A pids cgroup for this call when the host lets us make one (root with cgroup v1); else RLIMIT_NPROC alone. */
    private Path pidsCgroup() {
        if (!Files.isWritable(PIDS_CGROUP)) {
            return null;
        }
        Path group = PIDS_CGROUP.resolve("steward-" + Ids.next());
        try {
            Files.createDirectory(group);
            Files.writeString(group.resolve("pids.max"), String.valueOf(limits.maxProcesses() + 2));
            return group;
        } catch (IOException | UnsupportedOperationException e) {
            removeCgroup(group);
            return null;
        }
    }

    private static void removeCgroup(Path group) {
        if (group == null) {
            return;
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                Files.deleteIfExists(group);
                return;
            } catch (IOException busy) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static CompletableFuture<byte[]> drain(InputStream stream, int max, AtomicBoolean overflow, Process process) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (stream) {
                int n;
                while ((n = stream.read(buffer)) > 0) {
                    int room = max - kept.size();
                    kept.write(buffer, 0, Math.min(room, n));
                    if (n > room) {
                        overflow.set(true);
                        kill(process);
                        break;
                    }
                }
            } catch (IOException closed) {
                // the process is gone
            }
            return kept.toByteArray();
        }, Thread::startVirtualThread);
    }

    private static String text(byte[] bytes, int max, boolean overflow) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return overflow && bytes.length >= max ? text + TRUNCATED.formatted(max) : text;
    }
}
