package dev.steward.agent;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The states of a task's life: queued → running ⇄ waiting → done | failed | cancelled. */
public enum TaskStatus {
    QUEUED, PLANNING, RUNNING, WAITING_APPROVAL, WAITING_INPUT, REVIEWING, DONE, FAILED, CANCELLED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this == DONE || this == FAILED || this == CANCELLED;
    }

    public static TaskStatus fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
