package dev.steward.skills;

/**
 * A skill operation that cannot be done as asked; the message names the skill and the fix. {@code validation} is
 * set when validation refused the skill; {@code usage} when the request itself is wrong (an unknown name, a
 * missing folder), not the skill.
 */
public final class SkillException extends RuntimeException {
    private final transient Validation validation;
    private final boolean usage;

    SkillException(String message, Validation validation, boolean usage) {
        super(message);
        this.validation = validation;
        this.usage = usage;
    }

    static SkillException usage(String message) {
        return new SkillException(message, null, true);
    }

    static SkillException failed(String message) {
        return new SkillException(message, null, false);
    }

    static SkillException refused(String what, Validation validation) {
        return new SkillException(what + " is refused by validation:\n" + validation.refusal(), validation, false);
    }

    public Validation validation() {
        return validation;
    }

    public boolean usage() {
        return usage;
    }
}
