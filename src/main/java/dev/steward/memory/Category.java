package dev.steward.memory;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a fact is about; users can keep whole categories out of memory. */
public enum Category {
    COMPANY, TEAM, PEOPLE, PROJECTS, PREFERENCES, INTEGRATIONS, OTHER;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Category fromId(String id) {
        try {
            return valueOf(id.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown category '" + id + "'; use one of: company, team, people, "
                    + "projects, preferences, integrations, other");
        }
    }
}
