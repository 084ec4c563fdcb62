package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while the embedding model runs on several threads (issue 23, a SIGSEGV in libonnxruntime.so seen when
 * {@code steward serve} was stopped under load): the process stops the model first and exits with 143, the exit of a
 * terminated process, never with a JVM crash; the embeddings asked after the stop fail with a clear error. In a
 * child JVM, since a crash would take the test runner with it.
 */
class StopSignalsTest {

    @Test
    void sigtermWhileEmbeddingStopsTheModelBeforeTheJvmFreesIt(@TempDir Path logs) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path stdout = logs.resolve("child.out");
        Path stderr = logs.resolve("child.err");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Xmx512m",
                "--enable-native-access=ALL-UNNAMED", EmbeddingUntilSignalled.class.getName())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3); // the model loads on a busy machine
            while (!Files.readString(stdout).contains("embedding") && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(stdout)).as("the child started embedding; stderr: %s",
                    Files.readString(stderr)).startsWith("embedding");
            Thread.sleep(300); // every thread is inside an inference or about to be

            child.destroy(); // SIGTERM, as systemd, docker stop or bench/api.sh send it

            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child stopped").isTrue();
            String errors = Files.readString(stderr);
            assertThat(errors).doesNotContain("SIGSEGV", "A fatal error has been detected");
            assertThat(child.exitValue()).as("exit code; stderr: %s", errors).isEqualTo(143);
            List<String> refused = Files.readAllLines(stdout).stream().skip(1).toList();
            assertThat(refused).as("one line per embedding thread").hasSize(3).allSatisfy(line -> assertThat(line)
                    .startsWith("refused: the embedding model e5-small-v2 is closed"));
        } finally {
            child.destroyForcibly();
        }
    }
}
