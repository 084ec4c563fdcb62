package dev.steward.actions;

import dev.steward.config.ActionsConfig;
import dev.steward.support.Ids;
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
 * A command inside bubblewrap: the workspace is the only writable folder (the current folder, {@code /workspace});
 * system folders and any extra mounts are read-only; nothing else of the host is visible; no network unless asked;
 * an empty environment; limits on wall time, CPU, memory, processes and output. shell.run and skills run here.
 */
public final class Sandbox {
    static final String TRUNCATED = "\n[output truncated at %d bytes; the command was stopped]";
    private static final Path PIDS_CGROUP = Path.of("/sys/fs/cgroup/pids");

    /** A host folder shown read-only inside the sandbox at {@code inside}. */
    public record Mount(Path host, String inside) {}

    /** How long and how much a command may use. */
    public record Limits(int timeoutSeconds, int memoryMb, int maxProcesses, int maxOutputBytes) {
        public static Limits of(ActionsConfig.Shell shell, int timeoutSeconds) {
            return new Limits(timeoutSeconds, shell.memoryMb(), shell.maxProcesses(), shell.maxOutputBytes());
        }
    }

    /** What the command did; {@code truncated} when its output passed the limit and it was stopped. */
    public record Result(int exitCode, String stdout, String stderr, long durationMs, boolean timedOut,
                         boolean truncated) {}

    /** The sandbox could not start: bubblewrap is missing or the process could not be made. */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final Path workspace;
    private final String bwrap;

    public Sandbox(Path workspace) {
        this.workspace = workspace;
        this.bwrap = findBwrap();
    }

    /** Whether bubblewrap is installed; without it nothing runs, there is no fallback. */
    public boolean available() {
        return bwrap != null;
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

    /**
     * Runs {@code command} (a program inside the sandbox and its arguments) to its end, its timeout or its output
     * limit, whichever comes first.
     */
    public Result run(List<String> command, List<Mount> readOnly, boolean network, Limits limits)
            throws Unavailable, InterruptedException {
        if (bwrap == null) {
            throw new Unavailable("bubblewrap (bwrap) is not installed, and Steward never runs commands outside a "
                    + "sandbox; install it with 'sudo apt-get install bubblewrap' (see steward doctor)");
        }
        Path cgroup = pidsCgroup(limits.maxProcesses());
        ProcessBuilder builder = new ProcessBuilder(argv(command, readOnly, network, limits, cgroup));
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            removeCgroup(cgroup);
            throw new Unavailable("cannot start the sandbox: " + e.getMessage());
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
            if (!process.waitFor(limits.timeoutSeconds(), TimeUnit.SECONDS)) {
                timedOut = true;
                kill(process);
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        } finally {
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            removeCgroup(cgroup);
        }
        long durationMs = (System.nanoTime() - started) / 1_000_000;
        return new Result(process.exitValue(), text(out.join(), max, overflow.get()),
                text(err.join(), max, overflow.get()), durationMs, timedOut, overflow.get());
    }

    private List<String> argv(List<String> command, List<Mount> readOnly, boolean network, Limits limits,
                              Path cgroup) {
        List<String> argv = new ArrayList<>();
        if (cgroup != null) {
            // Join the process-count cgroup first, then become bubblewrap: every process inside is counted.
            argv.addAll(List.of("/bin/sh", "-c", "echo $$ > \"$1\" && shift && exec \"$@\"", "sh",
                    cgroup.resolve("cgroup.procs").toString()));
        }
        long memory = (long) limits.memoryMb() * 1024 * 1024;
        argv.addAll(List.of("prlimit", "--as=" + memory, "--cpu=" + limits.timeoutSeconds(),
                "--nproc=" + limits.maxProcesses(), "--fsize=" + 1024L * 1024 * 1024, "--nofile=256", "--core=0", "--"));
        argv.addAll(List.of(bwrap, "--unshare-all"));
        if (network) {
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
        if (network) {
            etc.addAll(List.of("/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf"));
        }
        for (String file : etc) {
            argv.addAll(List.of("--ro-bind-try", file, file));
        }
        argv.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        for (Mount mount : readOnly) {
            argv.addAll(List.of("--ro-bind", mount.host().toString(), mount.inside()));
        }
        argv.addAll(List.of("--bind", workspace.toString(), "/workspace", "--chdir", "/workspace",
                "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", "/workspace",
                "--setenv", "LANG", "C.UTF-8", "--"));
        argv.addAll(command);
        return argv;
    }

    /** A pids cgroup for this call when the host lets us make one (root with cgroup v1); else RLIMIT_NPROC alone. */
    private static Path pidsCgroup(int maxProcesses) {
        if (!Files.isWritable(PIDS_CGROUP)) {
            return null;
        }
        Path group = PIDS_CGROUP.resolve("steward-" + Ids.next());
        try {
            Files.createDirectory(group);
            Files.writeString(group.resolve("pids.max"), String.valueOf(maxProcesses + 2));
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
