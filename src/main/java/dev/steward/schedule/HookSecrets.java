package dev.steward.schedule;

import dev.steward.config.secrets.SecretStore;
import dev.steward.support.Lazy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where a webhook's signing secret is kept: the encrypted secret store, as {@code hook.NAME}, so that it is nowhere
 * in plain text under STEWARD_HOME (the {@code hooks} row holds none). The store opens on first use with the same
 * keyset the rest of Steward uses (STEWARD_HOME's, or an operator's from the environment).
 */
final class HookSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Lazy<SecretStore> store;

    HookSecrets(Path home) {
        this.store = Lazy.of(() -> SecretStore.open(home, System.getenv()));
    }

    /** A new random secret for a hook (32 bytes, hex), stored before the hook's row is written. */
    String create(String hook) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = HexFormat.of().formatHex(bytes);
        store.get().set(name(hook), secret);
        return secret;
    }

    Optional<String> of(String hook) {
        return store.get().get(name(hook));
    }

    void remove(String hook) {
        store.get().remove(name(hook));
    }

    private static String name(String hook) {
        return "hook." + hook;
    }
}
