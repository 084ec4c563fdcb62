package dev.steward.agent;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a message asks for; decides how a task is run. */
public enum Intent {
    CONVERSATION, QUESTION, SIMPLE_ACTION, COMPLEX_TASK, CLARIFICATION, MEMORY;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Intent fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
