package dev.steward.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** routing.aliases: read from steward.yaml, and one alias rewritten with every other line left as written. */
class AliasFileTest {
    @TempDir
    Path home;

    @Test
    void aliasesAreReadLowerCasedFromRouting() {
        StewardConfig config = new ConfigLoader(Map.of()).parse(home, home.resolve("steward.yaml"), """
                routing:
                  mode: auto
                  aliases:
                    Assistant: openai/gpt-4o-mini
                    default: ollama/llama3.1
                """);
        assertThat(config.routing().aliases()).containsExactly(Map.entry("assistant", "openai/gpt-4o-mini"),
                Map.entry("default", "ollama/llama3.1"));
        assertThat(RoutingConfig.defaults().aliases()).isEmpty();
    }

    @Test
    void pointingAnAliasChangesOnlyItsLine() {
        String text = """
                # mine
                routing:
                  mode: hybrid   # cheap first
                  aliases:
                    assistant: up/a   # the bot
                    default: up/b
                budgets:
                  on_exceeded: refuse
                """;
        assertThat(AliasFile.pointed(text, "assistant", "up/c")).isEqualTo(text.replace("assistant: up/a   # the bot",
                "assistant: up/c"));
    }

    @Test
    void missingSectionsAreAdded() {
        assertThat(AliasFile.pointed("routing:\n  mode: auto\n", "default", "up/m"))
                .isEqualTo("routing:\n  aliases:\n    default: up/m\n  mode: auto\n");
        assertThat(AliasFile.pointed("# empty\n", "default", "up/m"))
                .isEqualTo("# empty\nrouting:\n  aliases:\n    default: up/m\n");
        assertThat(AliasFile.pointed("routing:\n  aliases:\n    a: x\n", "b", "y"))
                .isEqualTo("routing:\n  aliases:\n    b: y\n    a: x\n");
    }

    @Test
    void theRewrittenFileLoads() throws Exception {
        Path file = home.resolve("steward.yaml");
        Files.writeString(file, "routing:\n  aliases:\n    assistant: up/a\n");
        AliasFile.point(file, "assistant", "up/b");
        assertThat(new ConfigLoader(Map.of("STEWARD_HOME", home.toString())).load().routing().aliases())
                .containsEntry("assistant", "up/b");
    }

    @Test
    void aRoutingSettingChangesOnlyItsOwnLineAndKeepsItsComment() {
        String text = """
                routing:
                  aliases:
                    cloud_timeout_seconds: up/odd
                  cloud_timeout_seconds: 60   # seconds
                budgets:
                  on_exceeded: refuse
                """;
        assertThat(AliasFile.routingSet(text, "cloud_timeout_seconds", "120")).isEqualTo(text.replace(
                "  cloud_timeout_seconds: 60   # seconds", "  cloud_timeout_seconds: 120  # seconds"));
        assertThat(AliasFile.routingSet("routing:\n  mode: auto\n", "local_timeout_seconds", "240"))
                .isEqualTo("routing:\n  local_timeout_seconds: 240\n  mode: auto\n");
        assertThat(AliasFile.routingSet("# empty\n", "retries", "1")).isEqualTo("# empty\nrouting:\n  retries: 1\n");
    }
}
