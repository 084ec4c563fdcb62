package dev.steward.agent;

import dev.steward.router.ChatMessage;
import java.util.List;

/**
 * A message to act on.
 *
 * @param conversationId groups the tasks of one chat; null for a one-off {@code ask}
 * @param history        the conversation so far, oldest first
 */
public record AskRequest(String userId, String input, String conversationId, List<ChatMessage> history) {
    public AskRequest {
        history = history == null ? List.of() : List.copyOf(history);
    }

    public static AskRequest of(String userId, String input) {
        return new AskRequest(userId, input, null, List.of());
    }
}
