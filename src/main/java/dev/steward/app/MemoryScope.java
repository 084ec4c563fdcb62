package dev.steward.app;

import dev.steward.memory.Teams;
import dev.steward.support.UsageException;
import java.time.Clock;
import java.util.Optional;

/** {@code --scope private|team:NAME} on the command line: the memory space it names, for the local user. */
final class MemoryScope {
    private MemoryScope() {}

    static String space(MemoryCommand memory, String scope) {
        Optional<String> team;
        try {
            team = Teams.teamOf(scope);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + "; use --scope private or --scope team:NAME");
        }
        if (team.isEmpty()) {
            return Steward.LOCAL_USER;
        }
        Teams teams = new Teams(memory.parent.steward().database(), Clock.systemUTC());
        if (teams.find(team.get()).isEmpty()) {
            throw new UsageException("no team '" + team.get() + "'; add it with: steward teams add " + team.get()
                    + " --members local,…");
        }
        if (!teams.isMember(team.get(), Steward.LOCAL_USER)) {
            throw new UsageException("the command line's user 'local' is not a member of team '" + team.get()
                    + "'; add it: steward teams remove " + team.get() + " && steward teams add " + team.get()
                    + " --members local,…");
        }
        return Teams.space(team.get());
    }
}
