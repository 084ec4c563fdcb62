package dev.steward.support;

import java.security.SecureRandom;

/** Short random identifiers that are easy to read aloud and type: 10 characters of lowercase base32 (50 bits). */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int LENGTH = 10;

    private Ids() {}

    public static String next() {
        long bits = RANDOM.nextLong();
        char[] id = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            id[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(id);
    }
}
