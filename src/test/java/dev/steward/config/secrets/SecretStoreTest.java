package dev.steward.config.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
    @TempDir
    Path home;

    @Test
    void aStoredSecretReadsBackAndIsNowhereInPlainTextWithOwnerOnlyFiles() throws Exception {
        SecretStore store = SecretStore.open(home, Map.of());
        store.set("MAIL_PASSWORD", "correct horse battery staple");

        assertThat(SecretStore.open(home, Map.of()).get("MAIL_PASSWORD")).contains("correct horse battery staple");
        assertThat(store.names()).containsExactly("MAIL_PASSWORD");
        for (Path file : Files.list(home).toList()) {
            assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as("%s", file)
                    .doesNotContain("correct horse battery staple");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("%s", file)
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void rotatingTheKeyKeepsEverySecretAndTheOldKeysetCanNoLongerReadThem() throws Exception {
        SecretStore store = SecretStore.open(home, Map.of());
        store.set("A", "alpha");
        store.set("B", "beta");
        String oldKeyset = Files.readString(home.resolve("secrets.keyset.json"));

        assertThat(store.rotateKey()).isEqualTo(2);

        assertThat(store.get("A")).contains("alpha");
        assertThat(store.get("B")).contains("beta");
        Map<String, String> withOldKey = Map.of("STEWARD_SECRETS_KEYSET", oldKeyset);
        assertThatThrownBy(() -> SecretStore.open(home, withOldKey).get("A"))
                .isInstanceOf(SecretStoreException.class).hasMessageContaining("cannot be decrypted");
    }

    @Test
    void anOperatorsKeysetFromTheEnvironmentIsUsedAndNoKeysetFileIsWritten() throws Exception {
        SecretStore.open(home.resolve("other"), Map.of()).set("X", "x");
        String keyset = Files.readString(home.resolve("other/secrets.keyset.json"));
        Map<String, String> env = Map.of("STEWARD_SECRETS_KEYSET", keyset);

        SecretStore store = SecretStore.open(home, env);
        store.set("API_KEY", "sk-123");

        assertThat(home.resolve("secrets.keyset.json")).doesNotExist();
        assertThat(SecretStore.open(home, env).get("API_KEY")).contains("sk-123");
        assertThatThrownBy(() -> SecretStore.open(home, Map.of()).get("API_KEY"))
                .isInstanceOf(SecretStoreException.class).hasMessageContaining("keyset").hasMessageContaining("restore");
    }

    @Test
    void removeForgetsTheSecretAndBadNamesAreRefusedWithTheRule() {
        SecretStore store = SecretStore.open(home, Map.of());
        store.set("TOKEN", "t");
        assertThat(store.remove("TOKEN")).isTrue();
        assertThat(store.remove("TOKEN")).isFalse();
        assertThat(store.get("TOKEN")).isEmpty();
        assertThatThrownBy(() -> store.set("has space", "v")).hasMessageContaining("start with a letter");
        assertThatThrownBy(() -> store.set("EMPTY", "")).hasMessageContaining("standard input");
    }
}
