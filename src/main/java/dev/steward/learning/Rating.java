package dev.steward.learning;

import java.util.Locale;

/** What a user thought of an answer. */
public enum Rating {
    UP, DOWN;

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "up" or "down" (also 👍/👎, +1/-1); anything else is a usage error naming both. */
    public static Rating parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "up", "+1", "good", "👍" -> UP;
            case "down", "-1", "bad", "👎" -> DOWN;
            default -> throw new IllegalArgumentException("rating must be \"up\" or \"down\", not \"" + text + "\"");
        };
    }
}
