package dev.steward.app;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code steward} as users do: a separate JVM with its own environment, stdin, stdout, stderr and exit code.
 * The environment is clean (PATH and HOME only, no locale, no provider variables) plus what a test adds.
 * {@link #start} returns at once, so a test can run independent commands side by side.
 */
final class StewardProcess {
    private static final long TIMEOUT_SECONDS = 90;

    private final Path home;
    private final Map<String, String> env;

    private StewardProcess(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    /** Commands run against this STEWARD_HOME, with nothing else from the caller's environment. */
    static StewardProcess in(Path home) {
        Map<String, String> env = new HashMap<>();
        for (String kept : List.of("PATH", "HOME")) {
            String value = System.getenv(kept);
            if (value != null) {
                env.put(kept, value);
            }
        }
        env.put("STEWARD_HOME", home.toString());
        return new StewardProcess(home, Map.copyOf(env));
    }

    /** The same home with one more environment variable. */
    StewardProcess with(String name, String value) {
        Map<String, String> more = new HashMap<>(env);
        more.put(name, value);
        return new StewardProcess(home, Map.copyOf(more));
    }

    Path home() {
        return home;
    }

    Result run(String... args) {
        return start(args).finish();
    }

    Running start(String... args) {
        return startWithInput("", args);
    }

    /** {@code steward serve} on a free port, returned once its /health answers. */
    Running serve() throws IOException, InterruptedException {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Running serve = start("serve", "--port", Integer.toString(port));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return serve;
                }
            } catch (IOException notYet) {
                // still starting
            }
            if (System.nanoTime() > deadline || !serve.process().isAlive()) {
                fail("steward serve did not come up: " + serve.finish());
            }
            Thread.sleep(200);
        }
    }

    /** The environment commands run with. */
    Map<String, String> env() {
        return env;
    }

    /** The command line that runs {@code steward ARGS...}, for a test that starts it some other way. */
    static List<String> commandLine(String... args) {
        List<String> command = new ArrayList<>(List.of(java(),
                // Start fast: these are short runs, and the machine may have only two cores.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                // As the jar's manifest says (Enable-Native-Access), so that SQLite loads without a JVM warning.
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    Running startWithInput(String stdin, String... args) {
        List<String> command = commandLine(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException closedEarly) {
                // The command did not read its input (it failed or finished first); its result says why.
            }
            return new Running(List.of(args), process, drain(process.getInputStream()), drain(process.getErrorStream()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    record Running(List<String> args, Process process, CompletableFuture<String> out, CompletableFuture<String> err) {
        /** SIGTERM, as Ctrl-C: serve stops gracefully (destroy closes its output streams, so they are not read). */
        void stop() throws InterruptedException {
            process.destroy();
            org.assertj.core.api.Assertions.assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("serve stopped")
                    .isTrue();
            org.assertj.core.api.Assertions.assertThat(process.exitValue()).isIn(0, 143);
        }

        Result finish() {
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail("steward %s did not finish in %d s", String.join(" ", args), TIMEOUT_SECONDS);
                }
                return new Result(args, process.exitValue(), out.join(), err.join());
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** What one run printed and how it ended; its toString is what a failing assertion shows. */
    record Result(List<String> args, int exit, String out, String err) {
        /** This result, after checking that it succeeded with no stack trace in sight. */
        Result ok() {
            org.assertj.core.api.Assertions.assertThat(exit).as("%s", this).isZero();
            org.assertj.core.api.Assertions.assertThat(err + out).as("%s", this).doesNotContain("Exception", "\tat ");
            return this;
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        List<String> outLines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "steward " + String.join(" ", args) + "\n  exit: " + exit
                    + "\n  stdout:\n" + indent(out) + "\n  stderr:\n" + indent(err);
        }

        private static String indent(String text) {
            return text.isEmpty() ? "    (empty)" : text.lines().map(l -> "    | " + l).reduce((a, b) -> a + "\n" + b).orElse("");
        }
    }
}
