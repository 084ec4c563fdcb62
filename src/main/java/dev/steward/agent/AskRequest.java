package dev.steward.agent;

import dev.steward.router.ChatMessage;
import java.util.List;

/**
 * A message to act on.
 *
 * @param conversationId groups the tasks of one chat; null for a one-off {@code ask}
 * @param history        the conversation so far, oldest first (trimmed to the token budget when the task opens)
 * @param agent          the agent profile to work as, or null to let the Manager choose per step
 * @param toolsAllowed   false for chat only (the role {@code limited}): no tools are offered to the model
 */
public record AskRequest(String userId, String input, String conversationId, List<ChatMessage> history, String agent,
                         boolean toolsAllowed) {
    public AskRequest {
        history = history == null ? List.of() : List.copyOf(history);
        agent = agent == null || agent.isBlank() ? null : agent.strip();
    }

    public AskRequest(String userId, String input, String conversationId, List<ChatMessage> history) {
        this(userId, input, conversationId, history, null, true);
    }

    public static AskRequest of(String userId, String input) {
        return new AskRequest(userId, input, null, List.of());
    }

    public AskRequest withAgent(String name) {
        return new AskRequest(userId, input, conversationId, history, name, toolsAllowed);
    }
}
