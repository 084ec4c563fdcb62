package dev.steward.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;

/**
 * Spending limits in US dollars. A limit left out (null) is no limit.
 *
 * @param onExceeded what happens at 100%: fall back to local and offline models, or refuse the call
 * @param alertAt    the share of a limit at which an alert is raised (default 0.8)
 * @param global     limits on everyone's spend together
 * @param perUser    limits on each user's spend, unless {@code users} names the user
 * @param users      limits for particular users, by user name
 */
public record BudgetConfig(OnExceeded onExceeded, Double alertAt, Limits global, Limits perUser, Map<String, Limits> users) {

    public enum OnExceeded {
        FALLBACK, REFUSE;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Dollars per calendar hour, day and month (UTC). */
    public record Limits(Double hourly, Double daily, Double monthly) {
        public static final Limits NONE = new Limits(null, null, null);
    }

    public BudgetConfig {
        onExceeded = onExceeded == null ? OnExceeded.FALLBACK : onExceeded;
        alertAt = alertAt == null ? 0.8 : alertAt;
        global = global == null ? Limits.NONE : global;
        perUser = perUser == null ? Limits.NONE : perUser;
        users = users == null ? Map.of() : Map.copyOf(users);
    }

    public static BudgetConfig defaults() {
        return new BudgetConfig(null, null, null, null, null);
    }

    public Limits limitsFor(String user) {
        return users.getOrDefault(user, perUser);
    }
}
