package dev.steward.memory;

/** Text that is always in context and that the user can edit: {@value #PERSONA} and {@value #HUMAN}. */
public record CoreBlock(String userId, String name, String body, long updatedAt) {
    public static final String PERSONA = "persona";
    public static final String HUMAN = "human";
}
