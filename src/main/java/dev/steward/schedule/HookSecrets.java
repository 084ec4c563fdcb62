package dev.steward.schedule;

import dev.steward.store.Database;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where a webhook's signing secret is kept. For now in the {@code hooks} row, readable by whoever reads the
 * database; this class is the one place to change when the encrypted secret store takes them over.
 */
final class HookSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Database database;

    HookSecrets(Database database) {
        this.database = database;
    }

    /** A new random secret: 32 bytes, hex. */
    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The secret of a hook; written with its row by {@link Hooks#add}. */
    Optional<String> of(String hook) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT secret FROM hooks WHERE name = :name")
                .bind("name", hook).mapTo(String.class).findOne());
    }
}
