package dev.steward.agent;

/**
 * A part of the Employee's context that another part provides (the skills it can use, say): its text, or empty to
 * add nothing, for this user and input. A section that fails is left out; the run goes on without it. Sections come
 * before recalled memory and are marked for the provider's prompt cache, so one should change rarely (with the user
 * or the kind of request, not with every message).
 */
@FunctionalInterface
public interface ContextSection {
    String text(String userId, String input);
}
