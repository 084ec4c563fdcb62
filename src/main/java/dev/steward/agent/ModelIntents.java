package dev.steward.agent;

import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.Complexity;
import dev.steward.router.Router;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Classifies with a language model: one short JSON call on the cheap tier; the offline classifier if it fails. */
final class ModelIntents implements IntentClassifier {
    static final String PROMPT = """
            Classify the user's last message. Intents:
            - conversation: greetings, thanks, small talk; nothing to answer or do
            - question: asks for information or advice that needs no action
            - simple_action: one concrete action (send, create, list, look up, schedule one thing)
            - complex_task: a project of several steps (research and write, build, plan, migrate, analyse)
            - clarification: a follow-up that only makes sense with the earlier messages ("make it shorter")
            - memory: tells you something to remember, or asks what you remember, or to forget something
            Answer only with JSON: {"intent": "<one of: %s>"}""".formatted(
            Arrays.stream(Intent.values()).map(Intent::id).collect(Collectors.joining(", ")));
    /** Earlier messages sent along, so that a follow-up can be told from a new request. */
    static final int CONTEXT_MESSAGES = 4;

    private final Router router;
    private final IntentClassifier fallback;

    ModelIntents(Router router, IntentClassifier fallback) {
        this.router = router;
        this.fallback = fallback;
    }

    @Override
    public Intent classify(String text, List<ChatMessage> history, CallContext context) {
        if (router.offline()) {
            return fallback.classify(text, history, context);
        }
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system(PROMPT));
        history.stream().skip(Math.max(0, history.size() - CONTEXT_MESSAGES))
                .filter(m -> m.role() == ChatMessage.Role.USER || m.role() == ChatMessage.Role.ASSISTANT)
                .filter(m -> m.content() != null && !m.content().isEmpty())
                .forEach(messages::add);
        messages.add(ChatMessage.user(text));
        try {
            String answer = router.chat(new ChatRequest(messages, List.of(), null, 0.0, 20, true),
                    new CallContext(context.userId(), context.taskId(), "manager", Complexity.SIMPLE, 0))
                    .response().text();
            return Intent.fromId(Json.parse(Json.unfenced(answer)).path("intent").asText().strip());
        } catch (RuntimeException e) {
            return fallback.classify(text, history, context);
        }
    }
}
