package dev.steward.support;

import java.security.SecureRandom;

/** Short random identifiers that are easy to read aloud and type: 10 characters of lowercase base32 (50 bits). */
public final class Ids {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int LENGTH = 10;

    private Ids() {}

    /** Milliseconds since the epoch take 9 characters (45 bits, enough until the year 3084). */
    private static final int TIME_CHARS = 9;
    /** The random part of an {@link #ordered()} identifier: 35 bits. */
    private static final int RANDOM_CHARS = 7;
    public static final int ORDERED_LENGTH = TIME_CHARS + RANDOM_CHARS;
    private static long lastMillis;
    private static long lastRandom;

    /**
     * An identifier that sorts by creation time: 16 characters, the time in milliseconds then 35 random bits
     * (within one millisecond of one process, the next value up). Rows keyed by it go in at the end of their
     * index, where random keys would each land on a different page: that matters for tables written thousands of
     * times a second, such as {@code model_calls}.
     */
    public static String ordered() {
        long millis = System.currentTimeMillis();
        long random;
        synchronized (Ids.class) {
            if (millis <= lastMillis) {
                millis = lastMillis; // the clock stepped back or stood still: stay in order
                random = (lastRandom + 1) & ((1L << (5 * RANDOM_CHARS)) - 1);
                if (random == 0) {
                    millis++;
                }
            } else {
                random = java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << (5 * RANDOM_CHARS));
            }
            lastMillis = millis;
            lastRandom = random;
        }
        char[] id = new char[ORDERED_LENGTH];
        for (int i = ORDERED_LENGTH - 1; i >= TIME_CHARS; i--) {
            id[i] = ALPHABET[(int) (random & 31)];
            random >>>= 5;
        }
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            id[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        return new String(id);
    }

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
