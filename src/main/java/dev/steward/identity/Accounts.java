package dev.steward.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.password4j.Password;
import dev.steward.config.Role;
import dev.steward.store.BackgroundWriter;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Users and their API keys, in the database. Passwords are kept as Argon2 hashes (slow on purpose); an API key has
 * 256 random bits, so a SHA-256 of it is enough and lets a request find its key in one indexed lookup. The key and a
 * generated password are shown once, when made, and never stored.
 */
public final class Accounts {
    /** The user of the command line on this machine: an admin, present in every database. */
    public static final String LOCAL_USER = "local";
    /** How long a key or user stays cached: a key revoked from another process stops working within this. */
    static final Duration CACHE_TTL = Duration.ofSeconds(10);
    private static final String KEY_PREFIX = "stw_";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]{0,39}");
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public record User(String id, String name, Role role, long createdAt) {}

    /** A key as listed: never the key itself, only the first characters to recognise it by. */
    public record ApiKey(String id, String userId, String userName, String name, String prefix, long createdAt,
                         Long lastUsedAt, Long revokedAt) {}

    /** A key just made: {@code secret} is the key, shown once. */
    public record NewKey(ApiKey key, String secret) {}

    /** Who a request acts for; {@code keyId} is null for a browser session. */
    public record Principal(String userId, String name, Role role, String keyId) {}

    private final Database database;
    private final Clock clock;
    // Read on every request: each cache's upkeep (every few reads) runs on the reading thread instead of waking a
    // thread of the common pool for it.
    private final Cache<String, Optional<Principal>> keys = Caffeine.newBuilder().executor(Runnable::run)
            .expireAfterWrite(CACHE_TTL).maximumSize(10_000).build();
    private final Cache<String, Optional<User>> users = Caffeine.newBuilder().executor(Runnable::run)
            .expireAfterWrite(CACHE_TTL).maximumSize(10_000).build();

    private final BackgroundWriter lastUsed;

    public Accounts(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
        this.lastUsed = new BackgroundWriter(database, "api-keys");
    }

    // --- users ---------------------------------------------------------------------------------------------------

    /** Adds a user with this password; the name must be new and look like a login name. */
    public User addUser(String name, Role role, String password) {
        String clean = name.strip().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(clean).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a user name; use 1 to 40 letters, digits, '.',"
                    + " '_' or '-', starting with a letter");
        }
        checkPassword(password);
        if (findUser(clean).isPresent()) {
            throw new IllegalArgumentException("a user named '" + clean + "' exists already (see 'steward users list')");
        }
        User user = new User(Ids.next(), clean, role, clock.millis());
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO users (id, name, role, password_hash, created_at)
                        VALUES (:id, :name, :role, :hash, :createdAt)""")
                .bind("id", user.id()).bind("name", user.name()).bind("role", role.id())
                .bind("hash", hash(password)).bind("createdAt", user.createdAt()).execute());
        return user;
    }

    public List<User> users() {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id, name, role, created_at FROM users WHERE removed_at IS NULL ORDER BY name")
                .map((rs, ctx) -> new User(rs.getString("id"), rs.getString("name"),
                        Role.fromId(rs.getString("role")), rs.getLong("created_at"))).list());
    }

    /** A current user by name. */
    public Optional<User> findUser(String name) {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id, name, role, created_at FROM users WHERE name = :name AND removed_at IS NULL")
                .bind("name", name.strip().toLowerCase(Locale.ROOT))
                .map((rs, ctx) -> new User(rs.getString("id"), rs.getString("name"),
                        Role.fromId(rs.getString("role")), rs.getLong("created_at"))).findOne());
    }

    /** A current user by id, cached briefly: every request with a session reads it. */
    public Optional<User> userById(String id) {
        return users.get(id, i -> database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT id, name, role, created_at FROM users WHERE id = :id AND removed_at IS NULL")
                .bind("id", i)
                .map((rs, ctx) -> new User(rs.getString("id"), rs.getString("name"),
                        Role.fromId(rs.getString("role")), rs.getLong("created_at"))).findOne()));
    }

    /**
     * Removes a user: their keys are revoked and they can no longer log in. Their tasks, calls and audit rows stay
     * (the records keep saying who did what), so the row is marked removed and its name freed for reuse.
     */
    public User removeUser(String name) {
        User user = existing(name);
        if (user.id().equals(LOCAL_USER)) {
            throw new IllegalArgumentException("'local' is the command line's own user and cannot be removed");
        }
        long now = clock.millis();
        database.jdbi().useTransaction(h -> {
            h.createUpdate("UPDATE users SET removed_at = :now, name = :gone, password_hash = NULL WHERE id = :id")
                    .bind("now", now).bind("gone", user.name() + "~" + user.id()).bind("id", user.id()).execute();
            h.createUpdate("UPDATE api_keys SET revoked_at = :now WHERE user_id = :id AND revoked_at IS NULL")
                    .bind("now", now).bind("id", user.id()).execute();
        });
        forgetCached();
        return user;
    }

    public void setPassword(String name, String password) {
        User user = existing(name);
        checkPassword(password);
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
                .bind("hash", hash(password)).bind("id", user.id()).execute());
    }

    /** The user whose name and password these are; empty for a wrong password or unknown user alike. */
    public Optional<User> login(String name, String password) {
        Optional<User> user = findUser(name);
        Optional<String> stored = user.flatMap(u -> database.jdbi().withHandle(h -> h.createQuery(
                "SELECT password_hash FROM users WHERE id = :id").bind("id", u.id()).mapTo(String.class).findOne()));
        if (stored.isEmpty() || password == null) {
            // Hash anyway, so that an unknown name takes as long as a wrong password.
            Password.hash("not a password").addRandomSalt().withArgon2();
            return Optional.empty();
        }
        return Password.check(password, stored.get()).withArgon2() ? user : Optional.empty();
    }

    /** A password to hand to a new user: 20 characters from 62, about 119 bits. */
    public static String generatePassword() {
        return random(20);
    }

    private static String hash(String password) {
        return Password.hash(password).addRandomSalt().withArgon2().getResult();
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < 8) {
            throw new IllegalArgumentException("the password is too short; use at least 8 characters");
        }
    }

    private User existing(String name) {
        return findUser(name).orElseThrow(() -> new IllegalArgumentException(
                "no user '" + name + "' (see 'steward users list')"));
    }

    // --- keys ----------------------------------------------------------------------------------------------------

    /** Makes a key for a user; the key itself is in the result and nowhere else. */
    public NewKey createKey(String userName, String label) {
        User user = existing(userName);
        String secret = KEY_PREFIX + random(43);
        ApiKey key = new ApiKey(Ids.next(), user.id(), user.name(), label == null || label.isBlank() ? "default" : label.strip(),
                secret.substring(0, KEY_PREFIX.length() + 6), clock.millis(), null, null);
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO api_keys (id, user_id, name, hash, prefix, created_at)
                        VALUES (:id, :userId, :name, :hash, :prefix, :createdAt)""")
                .bindMethods(key).bind("hash", sha256(secret)).execute());
        return new NewKey(key, secret);
    }

    /** Every key, or those of one user (by name), newest first. */
    public List<ApiKey> keys(String userName) {
        String userId = userName == null ? null : existing(userName).id();
        return database.jdbi().withHandle(h -> {
            var query = h.createQuery("SELECT k.*, u.name AS user_name FROM api_keys k JOIN users u ON u.id = k.user_id"
                    + (userId == null ? "" : " WHERE k.user_id = :user") + " ORDER BY k.created_at DESC, k.id");
            if (userId != null) {
                query.bind("user", userId);
            }
            return query.map((rs, ctx) -> new ApiKey(rs.getString("id"), rs.getString("user_id"),
                    rs.getString("user_name"), rs.getString("name"), rs.getString("prefix"), rs.getLong("created_at"),
                    nullableLong(rs, "last_used_at"), nullableLong(rs, "revoked_at"))).list();
        });
    }

    /** Revokes a key by its id; requests with it fail from now on (within {@link #CACHE_TTL} in other processes). */
    public ApiKey revokeKey(String id) {
        ApiKey key = keys(null).stream().filter(k -> k.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no key '" + id + "' (see 'steward keys list')"));
        if (key.revokedAt() != null) {
            throw new IllegalArgumentException("key " + id + " is revoked already");
        }
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE api_keys SET revoked_at = :now WHERE id = :id")
                .bind("now", clock.millis()).bind("id", id).execute());
        forgetCached();
        return key;
    }

    /**
     * Who an API key acts for; empty for an unknown or revoked key or a removed user. A found key notes when it was
     * last used, at most once per cache period and in the background, so that requests never wait for a write.
     */
    public Optional<Principal> authenticate(String secret) {
        if (secret == null || !secret.startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        String hash = sha256(secret);
        return keys.get(hash, h -> {
            Optional<Principal> found = database.jdbi().withHandle(handle -> handle.createQuery("""
                            SELECT k.id AS key_id, u.id AS user_id, u.name, u.role FROM api_keys k
                            JOIN users u ON u.id = k.user_id
                            WHERE k.hash = :hash AND k.revoked_at IS NULL AND u.removed_at IS NULL""")
                    .bind("hash", h)
                    .map((rs, ctx) -> new Principal(rs.getString("user_id"), rs.getString("name"),
                            Role.fromId(rs.getString("role")), rs.getString("key_id"))).findOne());
            long now = clock.millis();
            found.ifPresent(p -> lastUsed.submit(handle -> handle.createUpdate(
                            "UPDATE api_keys SET last_used_at = :now WHERE id = :id")
                    .bind("now", now).bind("id", p.keyId()).execute()));
            return found;
        });
    }

    private static Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private void forgetCached() {
        keys.invalidateAll();
        users.invalidateAll();
    }

    private static String random(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
