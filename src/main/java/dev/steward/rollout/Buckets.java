package dev.steward.rollout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Sticky shares of users: a user's bucket (0 to 9999) is a hash of a salt (the rollout's or flag's name) and the user,
 * so the same user lands on the same side every time, and different rollouts split users independently.
 */
final class Buckets {
    static final int SIZE = 10_000;

    private Buckets() {}

    static int of(String salt, String user) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((salt + "\u0000" + (user == null ? "" : user)).getBytes(StandardCharsets.UTF_8));
            int value = ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8)
                    | (digest[3] & 0xff);
            return Integer.remainderUnsigned(value, SIZE);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether the user falls in the first {@code percent}% of buckets. */
    static boolean within(String salt, String user, double percent) {
        return of(salt, user) < percent * SIZE / 100.0;
    }
}
