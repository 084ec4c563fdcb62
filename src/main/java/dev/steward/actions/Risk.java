package dev.steward.actions;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How much harm a tool call can do; the gate's policy is written per risk level. */
public enum Risk {
    READ, WRITE, EXTERNAL, DANGEROUS, PAID;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
