package dev.steward.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class of the test classpath running in its own JVM (this JVM's java binary and classpath): another Steward
 * process. Its stdout lines are collected as they come; its stderr goes to a file.
 */
final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path stderr;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ChildJvm(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.reader = Thread.ofPlatform().daemon().name(name + "-stdout").start(this::readStdout);
    }

    /** Starts {@code main} with {@code args}, its stderr in {@code logs/NAME.err}. */
    static ChildJvm start(String name, Path logs, Class<?> main, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java,
                "-cp", System.getProperty("java.class.path"),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                main.getName()));
        command.addAll(List.of(args));
        Path stderr = logs.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        return new ChildJvm(name, process, stderr);
    }

    private void readStdout() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process was killed: what was read so far is what it printed
        }
    }

    /** The stdout lines printed so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits until the child printed at least {@code n} lines, or exited, or the timeout passed. */
    List<String> awaitLines(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.size() < n && process.isAlive() && System.nanoTime() < deadline) {
                lines.wait(50);
            }
            return List.copyOf(lines);
        }
    }

    /** Waits for the child to exit and returns its exit code; kills it and fails if it takes longer than {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(name + " did not finish within " + timeout + "; stderr:\n" + stderr());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    /** Kills the child the way a crash or {@code kill -9} would: no shutdown hooks, no finally blocks. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        int code = process.waitFor();
        reader.join(5_000);
        return code;
    }

    String stderr() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
