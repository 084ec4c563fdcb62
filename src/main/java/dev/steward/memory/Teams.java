package dev.steward.memory;

import dev.steward.store.Database;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Teams and who is in them. A team's shared memory is the memory space {@code team:NAME} (see {@link #space}):
 * facts stored there are visible to its members and to no one else, and a member's private memory stays theirs.
 */
public final class Teams {
    /** How a scope names a team: {@code team:sales}. */
    public static final String PREFIX = "team:";
    /** The scope of what only its owner sees. */
    public static final String PRIVATE = "private";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,26}");

    /** A team: its name and its members' user ids. */
    public record Team(String name, List<String> members, long createdAt) {}

    private final Database database;
    private final Clock clock;

    public Teams(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** The memory space a team's shared facts live in. */
    public static String space(String team) {
        return PREFIX + team;
    }

    /** The scope a memory space stands for: {@value #PRIVATE} for a user's own, {@code team:NAME} for a team's. */
    public static String scopeOf(String space) {
        return space.startsWith(PREFIX) ? space : PRIVATE;
    }

    /** Why a scope cannot be written to: no such team, or the user is not in it. */
    public static final class NotAMember extends RuntimeException {
        private final boolean unknownTeam;

        NotAMember(String message, boolean unknownTeam) {
            super(message);
            this.unknownTeam = unknownTeam;
        }

        /** Whether there is no team by that name at all. */
        public boolean unknownTeam() {
            return unknownTeam;
        }
    }

    /**
     * The memory space a scope names for this user: their own for {@value #PRIVATE} (or none), the team's for
     * {@code team:NAME} when they are a member.
     *
     * @throws IllegalArgumentException when the scope is neither
     * @throws NotAMember               when there is no such team or the user is not in it
     */
    public String spaceFor(String userId, String scope) {
        Optional<String> team = teamOf(scope);
        if (team.isEmpty()) {
            return userId;
        }
        if (find(team.get()).isEmpty()) {
            throw new NotAMember("no team '" + team.get() + "'", true);
        }
        if (!isMember(team.get(), userId)) {
            throw new NotAMember("not a member of team '" + team.get() + "'", false);
        }
        return space(team.get());
    }

    /** The team a scope names, or empty for {@value #PRIVATE}; throws for a scope that is neither. */
    public static Optional<String> teamOf(String scope) {
        if (scope == null || scope.isBlank() || scope.strip().equalsIgnoreCase(PRIVATE)) {
            return Optional.empty();
        }
        String s = scope.strip().toLowerCase(Locale.ROOT);
        if (!s.startsWith(PREFIX) || !NAME.matcher(s.substring(PREFIX.length())).matches()) {
            throw new IllegalArgumentException("scope '" + scope + "' is neither 'private' nor 'team:NAME'");
        }
        return Optional.of(s.substring(PREFIX.length()));
    }

    /** Adds a team with these members (user ids); throws if the name is taken or not a valid name. */
    public Team add(String name, Collection<String> memberIds) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a team name: use up to 27 lower-case letters,"
                    + " digits, '-' or '_'");
        }
        if (find(n).isPresent()) {
            throw new IllegalArgumentException("there is already a team '" + n + "'; remove it first or pick"
                    + " another name");
        }
        long now = clock.millis();
        database.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO teams (name, created_at) VALUES (:name, :at)").bind("name", n).bind("at", now)
                    .execute();
            for (String member : memberIds.stream().distinct().toList()) {
                h.createUpdate("INSERT INTO team_members (team_name, user_id) VALUES (:team, :user)")
                        .bind("team", n).bind("user", member).execute();
            }
        });
        return find(n).orElseThrow();
    }

    public List<Team> list() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT name FROM teams ORDER BY name")
                .mapTo(String.class).list()).stream().map(n -> find(n).orElseThrow()).toList();
    }

    public Optional<Team> find(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return database.jdbi().withHandle(h -> h.createQuery("SELECT created_at FROM teams WHERE name = :name")
                .bind("name", n).mapTo(Long.class).findOne()
                .map(at -> new Team(n, h.createQuery("SELECT user_id FROM team_members WHERE team_name = :name"
                        + " ORDER BY user_id").bind("name", n).mapTo(String.class).list(), at)));
    }

    /** Removes a team; its shared memory goes with it (done by the caller through {@link Memory#clear}). */
    public boolean remove(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return database.jdbi().inTransaction(h -> {
            h.createUpdate("DELETE FROM team_members WHERE team_name = :name").bind("name", n).execute();
            return h.createUpdate("DELETE FROM teams WHERE name = :name").bind("name", n).execute() > 0;
        });
    }

    /** The teams a user is in. */
    public List<String> teamsOf(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT team_name FROM team_members WHERE user_id = :user"
                + " ORDER BY team_name").bind("user", userId).mapTo(String.class).list());
    }

    public boolean isMember(String team, String userId) {
        return teamsOf(userId).contains(team.strip().toLowerCase(Locale.ROOT));
    }

    /** Takes a user out of every team (their account is being purged). */
    public void leaveAll(String userId) {
        database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM team_members WHERE user_id = :user")
                .bind("user", userId).execute());
    }

    /** The memory spaces a user may read: their own, then their teams'. */
    public List<String> spacesOf(String userId) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(userId),
                teamsOf(userId).stream().map(Teams::space)).toList();
    }
}
