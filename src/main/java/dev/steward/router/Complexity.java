package dev.steward.router;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A caller's hint of how demanding a request is; the router's own estimate is used when there is none. */
public enum Complexity {
    SIMPLE(0.1), COMPLEX(0.8), CRITICAL(1.0);

    private final double score;

    Complexity(double score) {
        this.score = score;
    }

    double score() {
        return score;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
