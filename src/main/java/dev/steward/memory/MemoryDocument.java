package dev.steward.memory;

import java.util.List;

/**
 * One searchable memory: a fact, an episode (a finished exchange or task), or an imported turn of conversation.
 *
 * @param kind       fact, episode or turn
 * @param category   company, team, people, projects, preferences, integrations, other (facts); null otherwise
 * @param sourceRefs where it came from, in order: message or task ids, or an imported turn's id (LoCoMo dia_id)
 * @param timestamp  when it was said or happened, epoch milliseconds
 */
public record MemoryDocument(String id, String userId, String kind, String category, String text,
                             List<String> sourceRefs, long timestamp, double confidence) {
    public MemoryDocument {
        sourceRefs = sourceRefs == null ? List.of() : List.copyOf(sourceRefs);
    }
}
