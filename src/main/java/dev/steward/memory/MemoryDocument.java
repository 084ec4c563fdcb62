package dev.steward.memory;

import java.util.List;

/**
 * One searchable memory: a fact, an episode (a finished exchange or task), or an imported turn of conversation.
 *
 * @param kind       fact, episode or turn
 * @param category   company, team, people, projects, preferences, integrations, other (facts); null otherwise
 * @param sourceRefs where it came from, in order: message or task ids, or an imported turn's id (LoCoMo dia_id)
 * @param timestamp  when it was said or happened, epoch milliseconds
 * @param speaker    who said it, or null: a query that names them prefers it
 * @param context    the words around it (a turn's neighbours), searched with it but not part of it, or null
 * @param conversation the wider conversation around it (a few turns either side), searched by its words only, or
 *                     null
 */
public record MemoryDocument(String id, String userId, String kind, String category, String text,
                             List<String> sourceRefs, long timestamp, double confidence, String speaker,
                             String context, String conversation) {
    public MemoryDocument {
        sourceRefs = sourceRefs == null ? List.of() : List.copyOf(sourceRefs);
    }

    /** A memory that stands alone: no speaker, no context, no conversation. */
    public MemoryDocument(String id, String userId, String kind, String category, String text,
                          List<String> sourceRefs, long timestamp, double confidence) {
        this(id, userId, kind, category, text, sourceRefs, timestamp, confidence, null, null, null);
    }
}
