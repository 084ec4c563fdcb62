package dev.steward.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The search documents of facts and episodes: what {@link MemorySearch} holds of each row. */
final class MemoryDocuments {
    /** Exchanges this close to an episode are of the same sitting: they are its context and conversation. */
    static final Duration SITTING = Duration.ofMinutes(30);
    /** How many earlier exchanges of the sitting are an episode's conversation (the last one is its context). */
    static final int CONVERSATION_EPISODES = 4;

    private MemoryDocuments() {}

    static MemoryDocument of(Fact f) {
        return new MemoryDocument(f.id(), f.userId(), "fact", f.category().id(),
                f.statement() + " (" + f.category().id() + ")",
                f.sourceRef() == null ? List.of() : List.of(f.sourceRef()), f.validFrom(), f.confidence());
    }

    /**
     * An episode's search document. "Yes, book it for Thursday" is found by what it answers: the exchange before it
     * in the same sitting is its context, and up to {@value #CONVERSATION_EPISODES} before it its conversation (see
     * docs/memory-search.md).
     *
     * @param before earlier episodes of the user, oldest first (any number; only the sitting's last few count)
     */
    static MemoryDocument of(Episode e, List<Episode> before) {
        List<String> sitting = new ArrayList<>();
        for (Episode b : e.summary() ? List.<Episode>of() : before) { // a summary stands alone, and is no one's context
            if (!b.summary() && b.createdAt() <= e.createdAt() && e.createdAt() - b.createdAt() <= SITTING.toMillis()) {
                sitting.add(b.text());
            }
        }
        List<String> recent = sitting.subList(Math.max(0, sitting.size() - CONVERSATION_EPISODES), sitting.size());
        String context = recent.isEmpty() ? null : recent.getLast() + "\n" + e.text();
        String conversation = recent.isEmpty() ? null : String.join("\n", recent) + "\n" + e.text();
        return new MemoryDocument(e.id(), e.userId(), "episode", null, e.text(),
                e.taskId() == null ? List.of() : List.of(e.taskId()), e.createdAt(), 1.0, null, context,
                conversation);
    }

    /** The documents of a user's episodes (all of them, oldest first), or only of those in {@code only}. */
    static List<MemoryDocument> ofEpisodes(List<Episode> ordered, Set<String> only) {
        List<MemoryDocument> documents = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            if (only == null || only.contains(ordered.get(i).id())) {
                documents.add(of(ordered.get(i), ordered.subList(Math.max(0, i - CONVERSATION_EPISODES), i)));
            }
        }
        return documents;
    }
}
