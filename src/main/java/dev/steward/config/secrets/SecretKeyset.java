package dev.steward.config.secrets;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;

/**
 * Where the key that encrypts the secrets comes from: {@code STEWARD_SECRETS_KEYSET} (the keyset's JSON, for operators
 * who inject it), {@code STEWARD_SECRETS_KEYSET_FILE} (a path, such as a mounted secret), or
 * {@code STEWARD_HOME/secrets.keyset.json}, made on first use with permissions 0600.
 */
record SecretKeyset(Path file, String fromVariable) {
    static final String VARIABLE = "STEWARD_SECRETS_KEYSET";
    static final String FILE_VARIABLE = "STEWARD_SECRETS_KEYSET_FILE";
    static final String FILE_NAME = "secrets.keyset.json";

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static SecretKeyset locate(Path home, Map<String, String> env) {
        String inline = env.get(VARIABLE);
        if (inline != null && !inline.isBlank()) {
            return new SecretKeyset(null, VARIABLE);
        }
        String file = env.get(FILE_VARIABLE);
        return new SecretKeyset(file != null && !file.isBlank() ? Path.of(file) : home.resolve(FILE_NAME), null);
    }

    /** Where the keyset is, in words: for messages. */
    String where() {
        return fromVariable != null ? "the keyset in " + fromVariable : file.toString();
    }

    boolean exists(Map<String, String> env) {
        return fromVariable != null || Files.exists(file);
    }

    /** The keyset; a missing one is made (and saved 0600) only when {@code create} says so. */
    KeysetHandle load(Map<String, String> env, boolean create) {
        try {
            if (fromVariable != null) {
                return parse(env.get(fromVariable));
            }
            if (Files.exists(file)) {
                return parse(Files.readString(file, StandardCharsets.UTF_8));
            }
            if (!create) {
                return null;
            }
            KeysetHandle fresh = generate();
            save(fresh);
            return fresh;
        } catch (IOException e) {
            throw new SecretStoreException("cannot read the secrets keyset " + where() + " (" + e.getMessage() + ")",
                    "check its permissions (the owner must be able to read it)");
        }
    }

    static KeysetHandle generate() {
        try {
            return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an AES-256-GCM key", e);
        }
    }

    /** Writes the keyset to its file, readable by the owner alone; a keyset from a variable cannot be written. */
    void save(KeysetHandle keyset) {
        if (fromVariable != null) {
            throw new SecretStoreException("the secrets keyset comes from " + fromVariable + " and cannot be replaced here",
                    "make a new keyset, re-encrypt with it elsewhere, or unset " + fromVariable + " to use a file");
        }
        try {
            String json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
            PrivateFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the keyset", e);
        }
    }

    static Aead aead(KeysetHandle keyset) {
        try {
            return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new SecretStoreException("the secrets keyset holds no usable AEAD key (" + e.getMessage() + ")",
                    "give a keyset made by Tink for AES-256-GCM, or move it away to make a new one");
        }
    }

    private KeysetHandle parse(String json) {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SecretStoreException("the secrets keyset " + where() + " is not a Tink keyset in JSON",
                    "restore it from your backup; without it the stored secrets cannot be read");
        }
    }
}
