package dev.steward.app;

import dev.steward.memory.Teams;
import dev.steward.support.UsageException;
import java.time.Clock;

/**
 * {@code --scope private|team:NAME} on the command line (memory add, knowledge add): the memory space it names, for
 * the local user.
 */
final class MemoryScope {
    private MemoryScope() {}

    static String space(Steward steward, String scope) {
        try {
            return new Teams(steward.database(), Clock.systemUTC()).spaceFor(Steward.LOCAL_USER, scope);
        } catch (Teams.NotAMember e) {
            String team = Teams.teamOf(scope).orElseThrow();
            if (e.unknownTeam()) {
                throw new UsageException("no team '" + team + "'; add it with: steward teams add " + team
                        + " --members local,…");
            }
            throw new UsageException("the command line's user 'local' is not a member of team '" + team
                    + "'; add it: steward teams remove " + team + " && steward teams add " + team + " --members local,…");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + "; use --scope private or --scope team:NAME");
        }
    }
}
