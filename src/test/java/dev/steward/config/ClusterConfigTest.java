package dev.steward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster: section of steward.yaml: task leases and node heartbeats, with defaults. */
class ClusterConfigTest {
    @TempDir
    Path home;

    StewardConfig load(String yaml, Map<String, String> env) throws IOException {
        Files.writeString(home.resolve("steward.yaml"), yaml, StandardCharsets.UTF_8);
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("STEWARD_HOME", home.toString());
        return new ConfigLoader(all).load();
    }

    @Test
    void aDeadNodesTasksAreTakenOverWithinThirtySecondsByDefault() throws IOException {
        ClusterConfig cluster = load("", Map.of()).cluster();
        assertThat(cluster.leaseSeconds()).isEqualTo(30);
        assertThat(cluster.heartbeatSeconds()).isEqualTo(5);
    }

    @Test
    void theFileAndTheEnvironmentSetThem() throws IOException {
        ClusterConfig cluster = load("cluster:\n  lease_seconds: 10\n", Map.of("STEWARD_CLUSTER_HEARTBEAT_SECONDS", "2"))
                .cluster();
        assertThat(cluster.leaseSeconds()).isEqualTo(10);
        assertThat(cluster.heartbeatSeconds()).isEqualTo(2);
    }

    @Test
    void aLeaseOfNoTimeIsAnErrorNamingTheKeyAndTheRange() {
        assertThatThrownBy(() -> load("cluster:\n  lease_seconds: 0\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cluster.lease_seconds must be from 1 to 600, not 0");
    }
}
