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
 * @param source         where the request came from: {@code cli} (the default), {@code api}, {@code schedule:NAME},
 *                       {@code webhook:NAME} or {@code crew:NAME}; the task records it
 * @param model          a routing alias or model that answers every call of this task ({@code ask --model}), or null
 *                       to route as usual
 */
public record AskRequest(String userId, String input, String conversationId, List<ChatMessage> history, String agent,
                         boolean toolsAllowed, String source, String model) {
    /** Where a request comes from when nobody says: a person at the command line. */
    public static final String CLI = "cli";

    public AskRequest {
        history = history == null ? List.of() : List.copyOf(history);
        agent = agent == null || agent.isBlank() ? null : agent.strip();
        source = source == null || source.isBlank() ? CLI : source.strip();
        model = model == null || model.isBlank() ? null : model.strip();
    }

    public AskRequest(String userId, String input, String conversationId, List<ChatMessage> history, String agent,
                      boolean toolsAllowed, String source) {
        this(userId, input, conversationId, history, agent, toolsAllowed, source, null);
    }

    public AskRequest(String userId, String input, String conversationId, List<ChatMessage> history, String agent,
                      boolean toolsAllowed) {
        this(userId, input, conversationId, history, agent, toolsAllowed, CLI);
    }

    public AskRequest(String userId, String input, String conversationId, List<ChatMessage> history) {
        this(userId, input, conversationId, history, null, true);
    }

    public static AskRequest of(String userId, String input) {
        return new AskRequest(userId, input, null, List.of());
    }

    public AskRequest withAgent(String name) {
        return new AskRequest(userId, input, conversationId, history, name, toolsAllowed, source, model);
    }

    /** The same request answered by this routing alias or model instead of the router's choice. */
    public AskRequest withModel(String name) {
        return new AskRequest(userId, input, conversationId, history, agent, toolsAllowed, source, name);
    }

    public AskRequest withSource(String from) {
        return new AskRequest(userId, input, conversationId, history, agent, toolsAllowed, from, model);
    }
}
