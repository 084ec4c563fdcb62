package dev.steward.rollout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Feature flags: each is on, off, on for a sticky share of users (hashed with the flag's name) or on for listed users.
 * Read from the database on every evaluation, so a change made anywhere applies to the next request.
 */
public final class FeatureFlags {
    public static final String SPEC = "on, off, a share like 25%, or --users alice,bob";

    public enum Mode { ON, OFF, PERCENT, USERS }

    public record Flag(String name, Mode mode, int percent, List<String> users, long updatedAt) {
        public Flag {
            users = List.copyOf(users);
        }

        /** Whether the flag is on for this user. */
        public boolean on(String userId) {
            return switch (mode) {
                case ON -> true;
                case OFF -> false;
                case PERCENT -> Buckets.within("flag:" + name, userId, percent);
                case USERS -> userId != null && users.contains(userId);
            };
        }

        /** How it is set, as {@code flags list} shows it. */
        public String describe() {
            return switch (mode) {
                case ON -> "on";
                case OFF -> "off";
                case PERCENT -> percent + "%";
                case USERS -> "users " + String.join(",", users);
            };
        }

        public ObjectNode json() {
            ObjectNode node = Json.object().put("name", name).put("mode", mode.name().toLowerCase(Locale.ROOT))
                    .put("value", describe());
            if (mode == Mode.PERCENT) {
                node.put("percent", percent);
            }
            users.forEach(node.putArray("users")::add);
            return node;
        }
    }

    private final Database database;
    private final Clock clock;

    public FeatureFlags(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Sets a flag. {@code value} is on, off or P% ({@code users} null), or null with a list of users.
     *
     * @throws RolloutException INVALID naming what may be written instead
     */
    public Flag set(String name, String value, List<String> users) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,99}")) {
            throw new RolloutException(RolloutException.Kind.INVALID, "'" + name + "' is not a usable flag name",
                    "use lower-case letters, digits, '.', '_' or '-', like new-planner");
        }
        Flag flag = parse(name, value, users);
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM feature_flags WHERE name = :name").bind("name", name).execute();
            h.createUpdate("INSERT INTO feature_flags (name, mode, percent, users, updated_at)"
                            + " VALUES (:name, :mode, :percent, :users, :at)").bind("name", name)
                    .bind("mode", flag.mode().name().toLowerCase(Locale.ROOT)).bind("percent", flag.percent())
                    .bind("users", String.join(",", flag.users())).bind("at", flag.updatedAt()).execute();
        });
        return flag;
    }

    private Flag parse(String name, String value, List<String> users) {
        long now = clock.millis();
        if (users != null && !users.isEmpty()) {
            if (value != null) {
                throw new RolloutException(RolloutException.Kind.INVALID, "give either a value or --users, not both",
                        "steward flags set " + name + " --users alice,bob");
            }
            return new Flag(name, Mode.USERS, 0, users.stream().map(String::strip).filter(u -> !u.isEmpty()).toList(),
                    now);
        }
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("on") || v.equals("off")) {
            return new Flag(name, v.equals("on") ? Mode.ON : Mode.OFF, v.equals("on") ? 100 : 0, List.of(), now);
        }
        if (v.matches("\\d{1,3}%")) {
            int percent = Integer.parseInt(v.substring(0, v.length() - 1));
            if (percent <= 100) {
                return new Flag(name, Mode.PERCENT, percent, List.of(), now);
            }
        }
        throw new RolloutException(RolloutException.Kind.INVALID, "'" + (value == null ? "" : value)
                + "' is not a flag value", "write " + SPEC);
    }

    /** @return whether a flag existed */
    public boolean remove(String name) {
        return database.jdbi().withHandle(h -> h.createUpdate("DELETE FROM feature_flags WHERE name = :name")
                .bind("name", name).execute()) > 0;
    }

    public List<Flag> list() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT name, mode, percent, users, updated_at"
                        + " FROM feature_flags ORDER BY name")
                .map((rs, c) -> new Flag(rs.getString("name"), Mode.valueOf(rs.getString("mode").toUpperCase(Locale.ROOT)),
                        rs.getInt("percent"), rs.getString("users").isEmpty() ? List.of()
                        : Arrays.asList(rs.getString("users").split(",")), rs.getLong("updated_at"))).list());
    }

    public Optional<Flag> find(String name) {
        return list().stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** Whether a flag is on for this user now; an unknown flag is off. */
    public boolean enabled(String name, String userId) {
        return find(name).map(f -> f.on(userId)).orElse(false);
    }
}
