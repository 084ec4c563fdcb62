package dev.steward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mapping steward.yaml section by section gives what mapping the whole file as one record gives. */
class ConfigMappingTest {
    private static final Path FILE = Path.of("/home/me/.steward/steward.yaml");

    private static ConfigFile mapped(String text) {
        ConfigText source = new ConfigText(FILE, text);
        return ConfigMapping.map(source.tree(), source, Map.of());
    }

    private static ConfigFile mappedWhole(String text) throws IOException {
        ObjectNode tree = new ConfigText(FILE, text).tree();
        return ConfigText.YAML.treeToValue(tree, ConfigFile.class);
    }

    @Test
    void theCommentedTemplateMapsToEveryDefaultAsTheWholeRecordDoes() throws IOException {
        String template;
        try (InputStream in = ConfigHome.class.getResourceAsStream(ConfigLoader.FILE_NAME)) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(mapped(template)).isEqualTo(mappedWhole(template)).isEqualTo(mapped(""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "routing:\n  mode: local\nworkspace: /srv/work\n",
        "providers:\n  - name: vllm\n    kind: openai\n    base_url: http://x:8000/v1\n    models:\n"
                + "      - name: m\n        context_length: 8192\nbudgets:\n  alert_at: 0.8\n  global:\n    daily: 2\n",
        "routing:\nmemory:\n  extractor: model\nmcp_servers: []\nschedules: []\nserver:\n  max_request_bytes: 9000\n",
        "cache:\n  enabled: false\nlearning:\n  analyze_every_hours: 6\ncluster:\n  lease_seconds: 20\n  heartbeat_seconds: 5\n",
    })
    void sectionsMapAsTheWholeRecordMapsThem(String text) throws IOException {
        assertThat(mapped(text)).isEqualTo(mappedWhole(text));
    }

    @Test
    void anUnknownTopLevelKeyNamesItsLineAndTheNearestSection() {
        assertThatThrownBy(() -> mapped("routing:\n  mode: auto\nmemroy:\n  extractor: model\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FILE + ":3")
                .hasMessageContaining("unknown key 'memroy'")
                .hasMessageContaining("did you mean 'memory'?")
                .hasMessageContaining("mcp_servers");
    }

    @Test
    void aMistakeInsideASectionKeepsTheSectionInItsKey() {
        assertThatThrownBy(() -> mapped("workspace: w\nserver:\n  max_request_bytes: many\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(FILE + ":3")
                .hasMessageContaining("server.max_request_bytes")
                .hasMessageContaining("write a whole number");
    }
}
