package dev.steward.router;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a model runs: decides cost, privacy and which routing modes may use it. */
public enum Locality {
    OFFLINE, LOCAL, CLOUD;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
