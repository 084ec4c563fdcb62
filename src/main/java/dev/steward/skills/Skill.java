package dev.steward.skills;

import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A skill Steward knows: what its SKILL.md says, where it came from, whether it may run now and what validation
 * found.
 *
 * @param source  where it was added from (a folder or a git URL), or null
 * @param hash    the content hash of its folder now
 * @param status  ready to run; changed since it was validated; or refused by validation
 */
public record Skill(String name, String description, Origin origin, String source, Path folder, SkillManifest manifest,
                    Permissions permissions, Status status, boolean enabled, String hash, List<Finding> findings) {
    /** Where a skill comes from. */
    public enum Origin {
        /** Inside Steward's jar. */
        BUNDLED,
        /** A folder put in STEWARD_HOME/skills by hand, or made by 'skills new'. */
        HOME,
        /** Installed by 'skills add' from a folder or a git URL. */
        ADDED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Status {
        READY, CHANGED, REFUSED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why it cannot run now, in words that name the fix; null when it can. */
    public String unavailable() {
        return switch (status) {
            case READY -> enabled ? null : "the skill '" + name + "' is disabled; enable it with 'steward skills "
                    + "enable " + name + "' or on the skills page";
            case CHANGED -> "the skill '" + name + "' changed since it was validated (" + folder + "); check it with "
                    + "'steward skills validate " + folder + "' to use it again";
            case REFUSED -> "the skill '" + name + "' is refused by validation; see 'steward skills validate "
                    + folder + "'";
        };
    }
}
