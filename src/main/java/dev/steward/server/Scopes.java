package dev.steward.server;

import dev.steward.identity.Accounts.Principal;
import dev.steward.memory.Teams;

/** {@code "scope": "private" | "team:NAME"} in a request (memory, knowledge): the memory space it names for the caller. */
final class Scopes {
    private Scopes() {}

    /** The caller's own space, or a team's they are a member of; 400 for a scope that is neither, 403 for a team they are not in. */
    static String space(Teams teams, Principal me, String scope) {
        try {
            return teams.spaceFor(me.userId(), scope);
        } catch (Teams.NotAMember e) {
            if (e.unknownTeam()) {
                throw ApiError.badRequest(e.getMessage(), "use \"private\" or the name of a team you are in");
            }
            throw ApiError.forbidden("user " + me.name() + " is " + e.getMessage(), "ask an admin to add you"
                    + " (steward teams add), or keep it private");
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage(), "use \"private\" or \"team:NAME\" (steward teams list)");
        }
    }
}
