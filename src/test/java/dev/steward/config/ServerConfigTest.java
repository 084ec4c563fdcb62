package dev.steward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server:} in steward.yaml: the IP allowlist and the request size limit, and the errors for bad entries. */
class ServerConfigTest {
    @TempDir
    Path home;

    StewardConfig load(String yaml) throws IOException {
        Files.writeString(home.resolve(ConfigLoader.FILE_NAME), yaml);
        return new ConfigLoader(Map.of("STEWARD_HOME", home.toString())).load();
    }

    @Test
    void byDefaultEveryAddressMayConnectAndBodiesUpTo32MegabytesAreTaken() throws IOException {
        ServerConfig server = load("").server();
        assertThat(server.allowIps()).isEmpty();
        assertThat(server.maxRequestBytes()).isEqualTo(32L * 1024 * 1024);
    }

    @Test
    void readsTheAllowlistAndTheLimit() throws IOException {
        ServerConfig server = load("server:\n  allow_ips: [127.0.0.1, 10.0.0.0/8, \"fd00::/8\"]\n"
                + "  max_request_bytes: 1048576\n").server();
        assertThat(server.allowIps()).containsExactly("127.0.0.1", "10.0.0.0/8", "fd00::/8");
        assertThat(server.maxRequestBytes()).isEqualTo(1_048_576L);
    }

    @Test
    void aHostNameOrABadRangeIsAnErrorThatShowsBothForms() {
        for (String bad : List.of("example.com", "10.0.0.300", "10.0.0.0/33", "10.0.0.0/8/1")) {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> load("server:\n  allow_ips: [\"" + bad + "\"]\n"));
            assertThat(e).as(bad).isNotNull();
            assertThat(e.getMessage()).as(bad).contains("server.allow_ips").contains("'" + bad + "'")
                    .contains("CIDR range (10.0.0.0/8");
        }
        ConfigException tiny = catchThrowableOfType(ConfigException.class, () -> load("server:\n  max_request_bytes: 10\n"));
        assertThat(tiny.getMessage()).contains("server.max_request_bytes is 10").contains("at least 1024");
    }
}
