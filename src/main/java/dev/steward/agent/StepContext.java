package dev.steward.agent;

import dev.steward.agent.TaskEvent.Kind;
import dev.steward.memory.MemoryContext;
import dev.steward.router.ChatMessage;

/**
 * The head of an Employee step's messages. Stable parts come first, each marked for the provider's prompt cache: the
 * prompt, the context sections (skills index, preferences: they change with the user or the kind of request), core
 * memory; then what memory recalls for this message and the user's documents, which change with every request.
 */
final class StepContext {
    private StepContext() {}

    static void add(Agent agent, RunState state, RunRecord record, String userId, String input, String prompt) {
        state.messages.add(ChatMessage.system(prompt).asCacheable());
        for (ContextSection section : agent.sections) {
            addSystem(state, sectionText(section, record, userId, input), true);
        }
        MemoryContext.Parts remembered = remembered(agent, record, userId, input);
        addSystem(state, remembered.core(), true);
        addSystem(state, remembered.recalled(), false);
        DocumentPassages.add(agent, state, record, userId, input);
    }

    private static void addSystem(RunState state, String text, boolean cacheable) {
        if (!text.isEmpty()) {
            state.messages.add(cacheable ? ChatMessage.system(text).asCacheable() : ChatMessage.system(text));
        }
    }

    private static MemoryContext.Parts remembered(Agent agent, RunRecord record, String userId, String input) {
        if (agent.memoryContext == null) {
            return MemoryContext.Parts.NONE;
        }
        try {
            return agent.memoryContext.assembleParts(userId, input, MemoryContext.DEFAULT_BUDGET_TOKENS);
        } catch (RuntimeException e) {
            record.emit(Kind.MEMORY, null, "Memory unavailable: " + e.getMessage(), null);
            return MemoryContext.Parts.NONE;
        }
    }

    private static String sectionText(ContextSection section, RunRecord record, String userId, String input) {
        try {
            String text = section.text(userId, input);
            return text == null ? "" : text;
        } catch (RuntimeException e) {
            record.emit(Kind.STATUS, null, "Context left out: " + e.getMessage(), null);
            return "";
        }
    }
}
