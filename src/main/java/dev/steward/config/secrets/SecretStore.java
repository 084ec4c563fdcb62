package dev.steward.config.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.steward.support.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Named secrets, encrypted at rest: {@code STEWARD_HOME/secrets.json} maps each name to its value sealed with Tink AEAD
 * (AES-256-GCM), the name bound in as associated data so that two sealed values cannot be swapped. Only the names are
 * readable without the keyset. Every change rewrites the file whole, 0600.
 */
public final class SecretStore {
    public static final String FILE_NAME = "secrets.json";
    /** Names as {@code ${secret:NAME}} may write them. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,127}");

    private final Path file;
    private final SecretKeyset keyset;
    private final Map<String, String> env;

    private SecretStore(Path file, SecretKeyset keyset, Map<String, String> env) {
        this.file = file;
        this.keyset = keyset;
        this.env = Map.copyOf(env);
    }

    /** The store of a home; nothing is created until a secret is set. */
    public static SecretStore open(Path home, Map<String, String> env) {
        return new SecretStore(home.resolve(FILE_NAME), SecretKeyset.locate(home, env), env);
    }

    /** Seals and stores a value under a name, replacing any value it had. */
    public void set(String name, String value) {
        checkName(name);
        if (value == null || value.isEmpty()) {
            throw new SecretStoreException("the value of secret " + name + " is empty",
                    "pipe the value on standard input, e.g. printf %s \"$TOKEN\" | steward secrets set " + name);
        }
        KeysetHandle handle = keyset.load(env, true);
        Map<String, String> sealed = readSealed();
        sealed.put(name, seal(SecretKeyset.aead(handle), name, value));
        writeSealed(sealed);
    }

    /** The value of a secret, if it is stored. */
    public Optional<String> get(String name) {
        String sealed = readSealed().get(name);
        if (sealed == null) {
            return Optional.empty();
        }
        KeysetHandle handle = keyset.load(env, false);
        if (handle == null) {
            throw new SecretStoreException("secret " + name + " is stored but its keyset " + keyset.where() + " is missing",
                    "restore the keyset from your backup (or set " + SecretKeyset.VARIABLE + "), or set the secret again");
        }
        return Optional.of(open(SecretKeyset.aead(handle), name, sealed));
    }

    /** The names of the stored secrets, sorted; never their values. */
    public List<String> names() {
        return new ArrayList<>(readSealed().keySet());
    }

    /** Removes a secret; false if there was none of that name. */
    public boolean remove(String name) {
        Map<String, String> sealed = readSealed();
        if (sealed.remove(name) == null) {
            return false;
        }
        writeSealed(sealed);
        return true;
    }

    /**
     * Seals every secret again under a new key and drops the old one. Each step leaves a readable store: the new key is
     * saved beside the old before the values move to it, and the old key goes only after they have.
     */
    public int rotateKey() {
        KeysetHandle old = keyset.load(env, true);
        Map<String, String> sealed = readSealed();
        Map<String, String> plain = new LinkedHashMap<>();
        Aead before = SecretKeyset.aead(old);
        sealed.forEach((name, value) -> plain.put(name, open(before, name, value)));
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(old);
            builder.addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                    .withRandomId().makePrimary());
            KeysetHandle both = builder.build();
            keyset.save(both);
            Aead after = SecretKeyset.aead(both);
            Map<String, String> resealed = new TreeMap<>();
            plain.forEach((name, value) -> resealed.put(name, seal(after, name, value)));
            writeSealed(resealed);
            KeysetHandle.Builder newOnly = KeysetHandle.newBuilder(both);
            for (int i = newOnly.size() - 1; i >= 0; i--) {
                if (!newOnly.getAt(i).isPrimary()) {
                    newOnly.deleteAt(i);
                }
            }
            keyset.save(newOnly.build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a new key", e);
        }
        return plain.size();
    }

    /** Where the keyset is, in words. */
    public String keysetLocation() {
        return keyset.where();
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new SecretStoreException("'" + name + "' is not a usable secret name",
                    "start with a letter; use letters, digits, '_', '.' or '-' (like MAIL_PASSWORD)");
        }
    }

    private static String seal(Aead aead, String name, String value) {
        try {
            byte[] sealed = aead.encrypt(value.getBytes(StandardCharsets.UTF_8), associated(name));
            return Base64.getEncoder().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt secret " + name, e);
        }
    }

    private String open(Aead aead, String name, String sealed) {
        try {
            byte[] plain = aead.decrypt(Base64.getDecoder().decode(sealed), associated(name));
            return new String(plain, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretStoreException("secret " + name + " cannot be decrypted with " + keyset.where(),
                    "the keyset is not the one it was stored with: restore that keyset, or set the secret again");
        }
    }

    private static byte[] associated(String name) {
        return ("steward-secret:" + name).getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, String> readSealed() {
        Map<String, String> sealed = new TreeMap<>();
        if (!Files.exists(file)) {
            return sealed;
        }
        try {
            JsonNode root = Json.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
            root.path("secrets").fields().forEachRemaining(e -> sealed.put(e.getKey(), e.getValue().asText()));
            return sealed;
        } catch (IOException e) {
            throw new SecretStoreException("cannot read " + file + " (" + e.getMessage() + ")",
                    "restore it from your backup, or move it away and set the secrets again");
        }
    }

    private void writeSealed(Map<String, String> sealed) {
        ObjectNode root = Json.object().put("format", "tink-aead-aes256gcm").put("keyset", keyset.where());
        ObjectNode secrets = root.putObject("secrets");
        sealed.forEach(secrets::put);
        PrivateFiles.write(file, Json.pretty(root).getBytes(StandardCharsets.UTF_8));
    }
}
