package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path home;

    /** Runs {@code steward ARGS} in-process; returns the exit code and what went to stderr. */
    private record Run(int exit, String err) {}

    private Run steward(String... args) {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args, Map.of("STEWARD_HOME", home.toString()));
            return new Run(exit, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void aNegativeRateLimitIsAUsageError() {
        Run run = steward("serve", "--user-rate-limit", "-1");
        assertThat(run.exit()).isEqualTo(Main.USAGE);
        assertThat(run.err().lines()).containsExactly("steward: a rate limit cannot be negative; use 0 for no limit");
    }

    @Test
    void portInUseNamesThePortAndTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Run run = steward("serve", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(run.exit()).isEqualTo(Main.USAGE);
            assertThat(run.err().lines()).containsExactly("steward: port " + taken.getLocalPort()
                    + " is already in use; stop what listens there or choose another with --port");
        }
    }
}
