package dev.steward.agent;

/**
 * A part of the Employee's context that another part provides (the skills it can use, say): its text, or empty to
 * add nothing, for this user and input. A section that fails is left out; the run goes on without it.
 */
@FunctionalInterface
public interface ContextSection {
    String text(String userId, String input);
}
