package dev.steward.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a user's memory tidy: finds facts stored twice, slots that hold two current values, facts nobody confirmed
 * or used for a long time, entities nothing names any more, a search index that disagrees with the rows, and weeks of
 * old episodes to summarise. A check changes nothing; {@link #apply} fixes what can be fixed without a person — a
 * fact is closed, never deleted, so it stays in its history; a week of episodes becomes one summary, the originals
 * kept in the journal — and journals every change, so {@link #undo} puts a run back. Contradictions wait for the
 * user ({@code steward memory resolve}).
 */
public final class MemoryUpkeep {
    /** Facts not confirmed or used for this long are stale, unless the caller says otherwise. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofDays(120);
    /** Episodes older than this are summarised a week at a time, unless the caller says otherwise. */
    public static final Duration DEFAULT_SUMMARISE_AFTER = Duration.ofDays(90);

    /** How old facts and episodes must be for upkeep to act on them. */
    public record Ages(Duration staleAfter, Duration summariseAfter) {
        public static Ages defaults() {
            return new Ages(DEFAULT_STALE_AFTER, DEFAULT_SUMMARISE_AFTER);
        }
    }

    /** What upkeep looks for. */
    public enum Kind {
        DUPLICATE, SUPERSEDED, CONTRADICTION, STALE, ORPHAN_ENTITY, INDEX_DRIFT, OLD_EPISODES;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** What one finding of this kind counts, in a sentence ("3 stale"): an old-episodes finding is a week. */
        public String counted() {
            return this == OLD_EPISODES ? "weeks of old episodes" : id().replace('_', ' ');
        }
    }

    /**
     * One thing found.
     *
     * @param targetId the fact, entity, contradiction or memory space it is about
     * @param keepId   for a duplicate or superseded fact, the fact that stays; else null
     * @param fix      what {@code --apply} does about it, or what the user should do
     * @param fixable  whether {@code --apply} fixes it (a contradiction waits for the user)
     */
    public record Finding(Kind kind, String targetId, String keepId, String description, String fix,
                          boolean fixable) {}

    /** What a check or a run found, and for a run its id and how many changes it made. */
    public record Report(String userId, boolean applied, String runId, int changes, List<Finding> findings) {
        /**
         * The report with nothing of what is remembered in it — kinds, ids, counts and dates only — for an admin
         * looking after someone else's memory, who must not read it.
         */
        public Report withoutContent() {
            return new Report(userId, applied, runId, changes, findings.stream().map(f -> f.kind() == Kind.INDEX_DRIFT
                    || f.kind() == Kind.OLD_EPISODES ? f : new Finding(f.kind(), f.targetId(), f.keepId(),
                    f.kind().id().replace('_', ' ') + " " + f.targetId(), f.fixable() ? "fixed by apply"
                    : "waits for the user", f.fixable())).toList());
        }

        public String summary() {
            if (findings.isEmpty()) {
                return "Memory is tidy: no duplicates, conflicts, stale facts, orphan entities, index drift or old"
                        + " episodes to summarise.";
            }
            StringBuilder text = new StringBuilder();
            for (Finding f : findings) {
                text.append(f.kind().id()).append(": ").append(f.description()).append("\n  → ").append(f.fix())
                        .append('\n');
            }
            long fixable = findings.stream().filter(Finding::fixable).count();
            text.append(applied
                    ? "Applied " + changes + " change" + (changes == 1 ? "" : "s") + " (run " + runId + "); undo with:"
                            + " steward memory upkeep --undo " + runId
                    : fixable + " of " + findings.size() + " can be fixed; nothing was changed (dry run). Apply with:"
                            + " steward memory upkeep --apply");
            return text.toString();
        }
    }

    /** What an undo put back, and what it could not (changed again since). */
    public record Undone(String runId, int restored, int skipped) {}

    private final Memory memory;
    private final MemoryStore store;
    private final UpkeepJournal journal;
    private final EpisodeUpkeep episodes;
    private final EpisodeSummariser summariser;
    private final Clock clock;

    /** Summarising old episodes extractively (no model). */
    public MemoryUpkeep(Database database, Memory memory, Clock clock) {
        this(database, memory, clock, EpisodeSummariser.extractive());
    }

    public MemoryUpkeep(Database database, Memory memory, Clock clock, EpisodeSummariser summariser) {
        this.memory = memory;
        this.store = new MemoryStore(database);
        this.journal = new UpkeepJournal(database, store);
        this.episodes = new EpisodeUpkeep(database, store, memory.search());
        this.summariser = summariser;
        this.clock = clock;
    }

    /** What upkeep would do for a user; changes nothing. */
    public Report check(String userId, Duration staleAfter) {
        return check(userId, new Ages(staleAfter, DEFAULT_SUMMARISE_AFTER));
    }

    public Report check(String userId, Ages ages) {
        return new Report(userId, false, null, 0, findings(userId, ages));
    }

    /** Fixes what can be fixed, journalling each change under one run id. */
    public Report apply(String userId, Duration staleAfter) {
        return apply(userId, new Ages(staleAfter, DEFAULT_SUMMARISE_AFTER));
    }

    public Report apply(String userId, Ages ages) {
        List<Finding> findings = findings(userId, ages);
        Map<String, EpisodeUpkeep.Group> weeks = new LinkedHashMap<>();
        episodes.groups(userId, clock.millis() - ages.summariseAfter().toMillis())
                .forEach(g -> weeks.put(g.episodes().getFirst().id(), g));
        String run = Ids.next();
        long now = clock.millis();
        int changes = 0;
        for (Finding f : findings) {
            switch (f.kind()) {
                case DUPLICATE, SUPERSEDED, STALE -> {
                    if (journal.closeFact(userId, f.targetId(), f.keepId(), now)) {
                        journal.record(run, userId, f.kind().id(), f.targetId(), Json.object().put("closed_at", now),
                                now);
                        changes++;
                    }
                }
                case ORPHAN_ENTITY -> {
                    Entity entity = store.entities(userId).stream().filter(e -> e.id().equals(f.targetId()))
                            .findFirst().orElse(null);
                    if (entity != null) {
                        List<Relation> relations = store.relations(userId).stream().filter(r -> r.fromEntity()
                                .equals(entity.id()) || r.toEntity().equals(entity.id())).toList();
                        journal.record(run, userId, f.kind().id(), entity.id(), journal.removeEntity(entity, relations),
                                now);
                        changes++;
                    }
                }
                case INDEX_DRIFT -> {
                    memory.reindex(userId);
                    memory.knowledge().ifPresent(k -> k.reindex(userId));
                    journal.record(run, userId, f.kind().id(), userId, Json.object().put("rebuilt", true), now);
                    changes++;
                }
                case OLD_EPISODES -> {
                    EpisodeUpkeep.Group week = weeks.get(f.targetId());
                    if (week != null) {
                        Episode summary = EpisodeUpkeep.summary(userId, week, summariser.summarise(userId,
                                week.episodes()));
                        journal.record(run, userId, f.kind().id(), summary.id(), EpisodeUpkeep.undoDetail(week,
                                summary), now);
                        episodes.replace(userId, week, summary);
                        changes++;
                    }
                }
                case CONTRADICTION -> { } // the user decides
            }
        }
        return new Report(userId, true, run, changes, findings);
    }

    /** Puts back every change of a run (newest first); a fact changed again since is left as it is. */
    public Undone undo(String userId, String runId) {
        List<UpkeepJournal.Entry> entries = new ArrayList<>(journal.entries(userId, runId));
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no upkeep run '" + runId + "'; the run id is printed by"
                    + " steward memory upkeep --apply");
        }
        int restored = 0;
        int skipped = 0;
        for (UpkeepJournal.Entry e : entries.reversed()) {
            if (e.undoneAt() != null) {
                continue;
            }
            boolean done = switch (e.kind()) {
                case "orphan_entity" -> journal.restoreEntity(userId, e.detail());
                case "index_drift" -> true; // a rebuild from the rows changed no memory
                case "old_episodes" -> episodes.restore(userId, e.detail());
                default -> journal.reopenFact(userId, e.targetId(), e.detail().path("closed_at").asLong());
            };
            if (done) {
                journal.undone(e.id(), clock.millis());
                restored++;
            } else {
                skipped++;
            }
        }
        return new Undone(runId, restored, skipped);
    }

    private List<Finding> findings(String userId, Ages ages) {
        Duration staleAfter = ages.staleAfter();
        List<Fact> current = store.facts(userId, false);
        List<Finding> findings = new ArrayList<>();
        Set<String> flagged = new HashSet<>();
        Map<String, List<Fact>> bySlot = new LinkedHashMap<>();
        for (Fact f : current) {
            bySlot.computeIfAbsent(MemoryStore.key(f.subject()) + "\u0000" + MemoryStore.key(f.attribute()),
                    k -> new ArrayList<>()).add(f);
        }
        for (List<Fact> slot : bySlot.values()) {
            Map<String, List<Fact>> byValue = new LinkedHashMap<>();
            slot.forEach(f -> byValue.computeIfAbsent(normal(f.value()), k -> new ArrayList<>()).add(f));
            for (List<Fact> same : byValue.values()) { // the same value twice: keep the first, close the rest
                same.sort(Comparator.comparingLong(Fact::validFrom).thenComparing(Fact::id));
                for (Fact twin : same.subList(1, same.size())) {
                    findings.add(new Finding(Kind.DUPLICATE, twin.id(), same.getFirst().id(), "\"" + twin.statement()
                            + "\" is stored twice (" + same.getFirst().id() + ", " + twin.id() + ")", "close "
                            + twin.id() + " as a copy of " + same.getFirst().id(), true));
                    flagged.add(twin.id());
                }
            }
            boolean singleValued = !FactLearner.MULTI_VALUED.contains(MemoryStore.key(slot.getFirst().attribute()));
            if (singleValued && byValue.size() > 1) { // two current values: the newest says what is true now
                List<Fact> values = byValue.values().stream().map(List::getFirst)
                        .sorted(Comparator.comparingLong(Fact::validFrom).reversed()).toList();
                Fact newest = values.getFirst();
                for (Fact older : values.subList(1, values.size())) {
                    findings.add(new Finding(Kind.SUPERSEDED, older.id(), newest.id(), "\"" + older.statement()
                            + "\" and \"" + newest.statement() + "\" are both current", "keep the newer ("
                            + day(newest.validFrom()) + "), close " + older.id() + " into its history", true));
                    flagged.add(older.id());
                }
            }
        }
        for (Contradiction c : store.contradictions(userId, true)) {
            findings.add(new Finding(Kind.CONTRADICTION, c.id(), null, c.statement(), "decide: steward memory resolve "
                    + c.id() + " new|old", false));
        }
        long staleBefore = clock.millis() - staleAfter.toMillis();
        for (Fact f : current) {
            long lastSeen = Math.max(f.lastAccessedAt(), f.validFrom());
            if (!flagged.contains(f.id()) && lastSeen < staleBefore) {
                findings.add(new Finding(Kind.STALE, f.id(), null, "\"" + f.statement() + "\" was last confirmed or"
                        + " used on " + day(lastSeen), "close it into its history (say it again to make it current)",
                        true));
            }
        }
        for (Entity e : orphans(userId, current)) {
            findings.add(new Finding(Kind.ORPHAN_ENTITY, e.id(), null, e.type() + " \"" + e.name() + "\" is named by"
                    + " no current fact or relation", "remove the entity (its old facts stay)", true));
        }
        List<Memory.IndexDrift> drift = new ArrayList<>(memory.indexDrift());
        memory.knowledge().ifPresent(k -> drift.addAll(k.indexDrift()));
        drift.stream().filter(d -> d.userId().equals(userId)).findFirst().ifPresent(d -> findings.add(new Finding(
                Kind.INDEX_DRIFT, userId, null, "the search index holds " + d.indexed() + " documents, the database "
                + d.stored(), "rebuild the index from the database", true)));
        for (EpisodeUpkeep.Group week : episodes.groups(userId, clock.millis() - ages.summariseAfter().toMillis())) {
            findings.add(new Finding(Kind.OLD_EPISODES, week.episodes().getFirst().id(), null, week.describe()
                    + " are older than " + ages.summariseAfter().toDays() + " days", "replace them by one summary"
                    + " that keeps each point's date and names its sources (undo puts them back)", true));
        }
        return findings;
    }

    /** Entities that no current fact names (as subject, alias or value) and that have no current relation. */
    private List<Entity> orphans(String userId, List<Fact> current) {
        Set<String> named = new HashSet<>();
        for (Fact f : current) {
            named.add(MemoryStore.key(f.subject()));
            named.add(MemoryStore.key(f.value()));
        }
        Set<String> related = new HashSet<>();
        for (Relation r : store.relations(userId)) {
            if (r.current()) {
                related.add(r.fromEntity());
                related.add(r.toEntity());
            }
        }
        return store.entities(userId).stream().filter(e -> !related.contains(e.id()))
                .filter(e -> !named.contains(MemoryStore.key(e.name()))
                        && e.aliases().stream().noneMatch(a -> named.contains(MemoryStore.key(a))))
                .toList();
    }

    /** A value as compared for duplicates: case, spacing and trailing punctuation do not count. */
    static String normal(String value) {
        return MemoryStore.key(value).replaceAll("[\\p{Punct}&&[^@]]+$", "").replaceAll("\\s*([,;:])\\s*", "$1 ");
    }

    private static String day(long millis) {
        return Instant.ofEpochMilli(millis).toString().substring(0, 10);
    }
}
