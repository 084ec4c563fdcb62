package dev.steward.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Old episodes summarised: a user's exchanges older than the cut-off, a calendar week (Monday to Sunday, UTC) at a
 * time, are replaced by one summary episode. A week, not a sitting: most sittings are one or two exchanges, so
 * summarising them would shrink nothing, while a week is how people place the past ("the week we hired Bob") and
 * keeps each summary short enough to rank on its own words. The summary keeps each point's date and names every
 * original (date, id, task) it stands for; the originals are kept in the upkeep journal, so undo puts them back.
 */
final class EpisodeUpkeep {
    /** What a summary episode is, in {@code episodes.kind}. */
    static final String SUMMARY = "summary";

    /** The episodes of one week older than the cut-off, oldest first. */
    record Group(LocalDate week, List<Episode> episodes) {
        String describe() {
            return episodes.size() + " exchanges of the week of " + week + " (" + day(episodes.getFirst().createdAt())
                    + " to " + day(episodes.getLast().createdAt()) + ")";
        }
    }

    private final Database database;
    private final MemoryStore store;
    private final MemorySearch search;

    EpisodeUpkeep(Database database, MemoryStore store, MemorySearch search) {
        this.database = database;
        this.store = store;
        this.search = search;
    }

    /** The weeks with at least two episodes (not summaries) older than {@code before}; one alone stays as it is. */
    List<Group> groups(String userId, long before) {
        Map<LocalDate, List<Episode>> byWeek = new LinkedHashMap<>();
        for (Episode e : store.episodes(userId)) {
            if (e.createdAt() < before && !SUMMARY.equals(e.kind())) {
                byWeek.computeIfAbsent(week(e.createdAt()), w -> new ArrayList<>()).add(e);
            }
        }
        return byWeek.entrySet().stream().filter(w -> w.getValue().size() > 1)
                .map(w -> new Group(w.getKey(), List.copyOf(w.getValue()))).toList();
    }

    /** The summary episode of a group: a header, the summariser's lines, and the sources. */
    static Episode summary(String userId, Group group, String body) {
        StringBuilder text = new StringBuilder("Summary of ").append(group.describe()).append(":\n")
                .append(body.strip()).append("\nSources:");
        for (Episode e : group.episodes()) {
            text.append(' ').append(day(e.createdAt())).append(" episode ").append(e.id())
                    .append(e.taskId() == null ? "" : " (task " + e.taskId() + ")").append(';');
        }
        text.setLength(text.length() - 1);
        return new Episode(Ids.next(), userId, SUMMARY, null, text.toString(), null,
                group.episodes().getFirst().createdAt());
    }

    /** What undo needs to put the originals back: journalled before {@link #replace}, so no crash can lose them. */
    static JsonNode undoDetail(Group group, Episode summary) {
        ObjectNode detail = Json.object().put("summary_id", summary.id()).put("week", group.week().toString());
        detail.set("originals", Json.mapper().valueToTree(group.episodes()));
        return detail;
    }

    /** Puts the summary in place of the originals, rows and index. */
    void replace(String userId, Group group, Episode summary) {
        List<String> ids = group.episodes().stream().map(Episode::id).toList();
        database.jdbi().useTransaction(h -> {
            h.createUpdate(MemoryStore.INSERT_EPISODE).bindMethods(summary).execute();
            h.createUpdate("DELETE FROM episodes WHERE user_id = :user AND id IN (<ids>)").bind("user", userId)
                    .bindList("ids", ids).execute();
        });
        ids.forEach(id -> search.delete(userId, id));
        search.upsert(MemoryDocuments.of(summary, List.of()));
        reindexNeighbours(userId, group.episodes());
    }

    /** Puts the originals back in place of their summary; false when the summary is gone (forgotten) meanwhile. */
    boolean restore(String userId, JsonNode detail) {
        String summaryId = detail.path("summary_id").asText();
        if (store.episodesById(userId, List.of(summaryId)).isEmpty()) {
            return false;
        }
        List<Episode> originals = new ArrayList<>();
        detail.path("originals").forEach(o -> originals.add(Json.mapper().convertValue(o, Episode.class)));
        Set<String> present = new LinkedHashSet<>(store.episodesById(userId, originals.stream().map(Episode::id)
                .toList()).stream().map(Episode::id).toList());
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM episodes WHERE user_id = :user AND id = :id").bind("user", userId)
                    .bind("id", summaryId).execute();
            for (Episode e : originals) {
                if (!present.contains(e.id())) {
                    h.createUpdate(MemoryStore.INSERT_EPISODE).bindMethods(e).execute();
                }
            }
        });
        search.delete(userId, summaryId);
        Set<String> back = new LinkedHashSet<>(originals.stream().map(Episode::id).toList());
        search.upsertAll(MemoryDocuments.ofEpisodes(store.episodes(userId), back));
        reindexNeighbours(userId, originals);
        return true;
    }

    /**
     * Episodes of the same sitting as changed ones hold their words as context: write those documents again (only
     * episodes within {@link MemoryDocuments#SITTING} after a changed one can).
     */
    private void reindexNeighbours(String userId, List<Episode> changed) {
        long from = changed.getFirst().createdAt();
        long to = changed.getLast().createdAt() + MemoryDocuments.SITTING.toMillis();
        Set<String> ids = Set.copyOf(changed.stream().map(Episode::id).toList());
        List<Episode> all = store.episodes(userId);
        Set<String> near = new LinkedHashSet<>();
        all.stream().filter(e -> e.createdAt() >= from && e.createdAt() <= to && !ids.contains(e.id()))
                .filter(e -> !SUMMARY.equals(e.kind())).forEach(e -> near.add(e.id()));
        if (!near.isEmpty()) {
            search.upsertAll(MemoryDocuments.ofEpisodes(all, near));
        }
    }

    static LocalDate week(long millis) {
        return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate().with(DayOfWeek.MONDAY);
    }

    static String day(long millis) {
        return Instant.ofEpochMilli(millis).toString().substring(0, 10);
    }
}
