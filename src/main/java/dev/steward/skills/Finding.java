package dev.steward.skills;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One thing validation found: where (a file relative to the skill folder, a line or 0 for the whole file), which
 * rule, how bad, and what to do about it.
 */
public record Finding(String file, int line, String rule, Severity severity, String message) {
    /** An error refuses the skill; a warning is told and allowed. */
    public enum Severity {
        ERROR, WARNING;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Finding of(Rule rule, String file, int line, String message) {
        return new Finding(file, line, rule.id(), rule.severity(), message);
    }

    /** As printed on stderr: {@code FILE:LINE: RULE: message}. */
    public String printed() {
        return file + ":" + line + ": " + rule + ": " + message;
    }

    public boolean refuses() {
        return severity == Severity.ERROR;
    }
}
