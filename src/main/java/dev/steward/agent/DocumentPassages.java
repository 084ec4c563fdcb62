package dev.steward.agent;

import dev.steward.actions.Provenance;
import dev.steward.agent.TaskEvent.Kind;
import dev.steward.memory.MemoryContext;
import dev.steward.memory.Passage;
import dev.steward.router.ChatMessage;
import java.util.List;

/**
 * Puts passages of the user's documents that match the request into a step's context, fenced as data, and counts them
 * as untrusted content read by the task: a document's words may not make Steward act (docs/security.md).
 */
final class DocumentPassages {
    static final String SOURCE = "knowledge";

    private DocumentPassages() {}

    static void add(Agent agent, RunState state, RunRecord record, String userId, String input) {
        List<Passage> passages;
        try {
            passages = agent.memoryContext == null ? List.of() : agent.memoryContext.passages(userId, input);
        } catch (RuntimeException e) {
            record.emit(Kind.MEMORY, null, "Knowledge base unavailable: " + e.getMessage(), null);
            return;
        }
        if (passages.isEmpty()) {
            return;
        }
        state.messages.add(ChatMessage.system(MemoryContext.documents(passages)));
        for (Passage p : passages) {
            Provenance.Untrusted read = new Provenance.Untrusted(SOURCE, agent.redact(p.citation()));
            if (!state.untrusted.contains(read)) {
                state.untrusted.add(read);
                state.untrustedText.add(p.text());
                if (state.untrusted.size() > RunState.MAX_UNTRUSTED) {
                    state.untrusted.removeFirst();
                    state.untrustedText.removeFirst();
                }
            }
        }
    }
}
