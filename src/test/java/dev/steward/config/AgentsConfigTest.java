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

/** The agents: section of steward.yaml: limits, roles and profiles, with defaults for all of it. */
class AgentsConfigTest {
    @TempDir
    Path home;

    StewardConfig load(String yaml) throws IOException {
        Files.writeString(home.resolve("steward.yaml"), yaml, StandardCharsets.UTF_8);
        return new ConfigLoader(Map.of("STEWARD_HOME", home.toString())).load();
    }

    @Test
    void withNothingConfiguredThereAreThreeProfilesAndSensibleLimits() throws IOException {
        AgentsConfig agents = load("").agents();

        assertThat(agents.profileNames()).containsExactly("code", "research", "files");
        assertThat(agents.maxSteps()).isEqualTo(12);
        assertThat(agents.maxIterations()).isEqualTo(3);
        assertThat(agents.manager().tier()).isEqualTo("smart");
        assertThat(agents.supervisor().tier()).isEqualTo("cheap");
        assertThat(agents.profile("files").orElseThrow().allows("files.move")).isTrue();
        assertThat(agents.profile("files").orElseThrow().allows("shell.run")).isFalse();
    }

    @Test
    void aProfileInTheFileReplacesTheBuiltInOneOfItsNameAndAddsToTheOthers() throws IOException {
        AgentsConfig agents = load("""
                agents:
                  max_iterations: 5
                  supervisor:
                    tier: smart
                  profiles:
                    - name: Files
                      description: Only reads.
                      tools: [files.read, files.list]
                    - name: bookkeeper
                      description: Keeps the books.
                      prompt: You keep the books of a small business.
                      tools: [sql.query]
                      tier: cheap
                      max_steps: 4
                """).agents();

        assertThat(agents.maxIterations()).isEqualTo(5);
        assertThat(agents.supervisor().tier()).isEqualTo("smart");
        assertThat(agents.supervisor().prompt()).isEqualTo(AgentsConfig.SUPERVISOR_PROMPT);
        assertThat(agents.profileNames()).containsExactly("code", "research", "files", "bookkeeper");
        assertThat(agents.profile("files").orElseThrow().allows("files.write")).isFalse();
        assertThat(agents.profile("bookkeeper").orElseThrow().maxSteps()).isEqualTo(4);
    }

    @Test
    void aLimitBelowOneIsAnErrorNamingTheKey() {
        assertThatThrownBy(() -> load("agents:\n  max_steps: 0\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("agents.max_steps must be at least 1");
    }
}
