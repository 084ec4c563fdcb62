package dev.steward.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a user may do. One type for every part that asks: accounts store it, the gate's per-role policy in
 * steward.yaml ({@code actions.roles}) is keyed by it, approvals and tool calls carry it.
 */
public enum Role {
    /** Everything, including other users' audit rows and the settings. */
    ADMIN,
    /** Chat, tools under the policy, their own memory. */
    STANDARD,
    /** Chat only: no tools, no approvals. */
    LIMITED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code id}, or an error listing the roles there are. */
    @JsonCreator
    public static Role fromId(String id) {
        for (Role role : values()) {
            if (role.id().equals(id)) {
                return role;
            }
        }
        throw new IllegalArgumentException("no role '" + id + "'; use admin, standard or limited");
    }
}
