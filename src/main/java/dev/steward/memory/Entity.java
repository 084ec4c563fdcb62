package dev.steward.memory;

import java.util.List;

/**
 * Someone or something facts are about, with the other names it goes by.
 *
 * @param type person, company, project or tool
 */
public record Entity(String id, String userId, String name, String type, List<String> aliases, long createdAt) {
    public Entity {
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
