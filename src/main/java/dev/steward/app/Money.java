package dev.steward.app;

import java.util.Locale;

/** Micro-dollars as people read them. */
final class Money {
    private Money() {}

    static String format(long micros) {
        if (micros == 0) {
            return "$0";
        }
        double dollars = micros / 1_000_000.0;
        return String.format(Locale.ROOT, dollars < 0.01 ? "$%.6f" : "$%.4f", dollars);
    }
}
