package dev.steward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.secrets.SecretStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ${VAR} and ${secret:NAME} anywhere in steward.yaml. */
class ConfigReferencesTest {
    @TempDir
    Path home;

    private StewardConfig load(String yaml, Map<String, String> env) throws Exception {
        Files.writeString(home.resolve("steward.yaml"), yaml);
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("STEWARD_HOME", home.toString());
        return new ConfigLoader(all).load();
    }

    @Test
    void aStoredSecretAndAVariableAreResolvedInsideValues() throws Exception {
        SecretStore.open(home, Map.of()).set("VLLM_KEY", "sk-from-store");
        StewardConfig config = load("""
                providers:
                  - name: vllm
                    kind: openai
                    base_url: http://${VLLM_HOST}:8000/v1
                    api_key: ${secret:VLLM_KEY}
                """, Map.of("VLLM_HOST", "gpu-box"));

        assertThat(config.providers()).singleElement().satisfies(p -> {
            assertThat(p.apiKey()).isEqualTo("sk-from-store");
            assertThat(p.baseUrl()).isEqualTo("http://gpu-box:8000/v1");
        });
    }

    @Test
    void aMissingSecretIsNamedWithItsLineAndHowToStoreIt() {
        assertThatThrownBy(() -> load("""
                providers:
                  - name: vllm
                    kind: openai
                    api_key: ${secret:VLLM_KEY}
                """, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("steward.yaml:4")
                .hasMessageContaining("providers.vllm.api_key")
                .hasMessageContaining("the secret VLLM_KEY, which is not stored")
                .hasMessageContaining("steward secrets set VLLM_KEY");
    }

    @Test
    void aMissingVariableAnywhereIsNamed() {
        assertThatThrownBy(() -> load("workspace: /data/${STEWARD_TEST_NO_SUCH_VAR}/ws\n", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("steward.yaml:1")
                .hasMessageContaining("workspace: refers to STEWARD_TEST_NO_SUCH_VAR, which is not set");
    }
}
