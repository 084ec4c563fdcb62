package dev.steward.memory;

import dev.steward.support.PrivacyFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * What Steward remembers about each user: facts with their history, entities and relations, episodes, core blocks.
 * Everything passes the {@link PrivacyFilter} before it is stored, every change is mirrored into the
 * {@link MemorySearch}, and every method is scoped to one user.
 */
public final class Memory {
    /** Documents a rebuild of the index writes in one commit, and then reports. */
    static final int REINDEX_BATCH = 500;
    public static final String SOURCE_MESSAGE = "message";
    public static final String SOURCE_TASK = "task";
    public static final String SOURCE_IMPORT = "import";
    public static final String EXPORT_FORMAT = "steward-memory";
    public static final int EXPORT_VERSION = 1;
    /** How many passages of the user's documents a recall adds. */
    static final int RECALL_PASSAGES = 3;
    static final String DEFAULT_PERSONA = "I am Steward, a capable assistant for a person or a small business.";

    private final MemoryStore store;
    private final MemorySearch search;
    private final FactExtractor extractor;
    private final PrivacyFilter privacy = new PrivacyFilter();
    private final EntityLinker linker;
    private final FactLearner learner;
    private final MemoryTransfer transfer;
    private final EntityCards cards;
    private final EntityAnswers answers;
    private final Knowledge knowledge;
    private final Clock clock;

    public Memory(Database database, MemorySearch search, FactExtractor extractor, Clock clock) {
        this(database, search, extractor, clock, null);
    }

    /** With a knowledge base, whose passages a recall adds and a clear deletes; null for none. */
    public Memory(Database database, MemorySearch search, FactExtractor extractor, Clock clock, Knowledge knowledge) {
        this.knowledge = knowledge;
        this.store = new MemoryStore(database);
        this.search = search;
        this.extractor = extractor;
        this.clock = clock;
        this.linker = new EntityLinker(store, clock);
        this.learner = new FactLearner(store, search, privacy, linker, clock);
        this.transfer = new MemoryTransfer(store, search, clock);
        this.cards = new EntityCards(store);
        this.answers = new EntityAnswers(store, cards);
    }

    // --- learning ----------------------------------------------------------------------------------------------

    /** What one statement changed in memory. */
    public record Learned(List<Fact> stored, List<Fact> replaced, List<Fact> restated,
                          List<Contradiction> contradictions, Set<String> leftOut, Set<Category> blocked,
                          boolean disabled) {
        static Learned off() {
            return new Learned(List.of(), List.of(), List.of(), List.of(), Set.of(), Set.of(), true);
        }

        public boolean changed() {
            return !stored.isEmpty() || !replaced.isEmpty();
        }

        /** Says, in a sentence or a few, what was kept, changed, flagged or left out. */
        public String summary() {
            return MemorySummaries.learned(this);
        }
    }

    /** An explicit "remember that …": facts by pattern, or the statement as a note if no pattern reads it. */
    public Learned remember(String userId, String text, String source, String sourceRef) {
        MemorySettings settings = store.settings(userId);
        if (!settings.enabled()) {
            return Learned.off();
        }
        PrivacyFilter.Filtered filtered = privacy.filter(text);
        List<FactCandidate> candidates = extractor.extract(userId, filtered.text());
        String note = PatternFactExtractor.withoutRememberPrefix(filtered.text());
        if (candidates.isEmpty() && !note.isBlank()) {
            candidates = List.of(new FactCandidate(Fact.USER, "note", note, Category.OTHER, FactCandidate.STATED,
                    false));
        }
        return learner.apply(userId, candidates, source, sourceRef, settings, filtered.removed());
    }

    /**
     * After an exchange: stores it as an episode (after the privacy filter) and, if {@code extractFacts}, the facts
     * the user stated in it.
     */
    public Learned learn(String userId, String input, String answer, String taskId, boolean extractFacts) {
        MemorySettings settings = store.settings(userId);
        if (!settings.enabled()) {
            return Learned.off();
        }
        expire(userId);
        PrivacyFilter.Filtered in = privacy.filter(input);
        PrivacyFilter.Filtered out = privacy.filter(answer == null ? "" : answer);
        Set<String> removed = new LinkedHashSet<>(in.removed());
        removed.addAll(out.removed());
        if (!in.text().isBlank()) {
            Episode episode = new Episode(Ids.next(), userId, taskId == null ? "exchange" : "task", taskId, in.text(),
                    out.text(), clock.millis());
            List<Episode> before = store.latestEpisodes(userId, MemoryDocuments.CONVERSATION_EPISODES);
            store.insertEpisode(episode);
            search.add(MemoryDocuments.of(episode, before)); // a new id: nothing to replace
        }
        List<FactCandidate> candidates = extractFacts ? extractor.extract(userId, in.text()) : List.of();
        return learner.apply(userId, candidates, SOURCE_MESSAGE, taskId, settings, removed);
    }

    /** The text with card numbers, ID numbers, secrets and keys cut out where they stand; for records outside memory. */
    public String redact(String text) {
        return privacy.redact(text);
    }

    /** One of {@code userId}'s facts (any version) by its id; someone else's fact is as good as absent. */
    public Optional<Fact> fact(String userId, String factId) {
        return store.factsById(userId, List.of(factId)).stream().findFirst();
    }

    /**
     * States a fact directly (from a form rather than a sentence): like "remember that", it replaces the current value
     * of the same subject and attribute, keeping the old one as history.
     */
    public Learned state(String userId, String subject, String attribute, String value, Category category) {
        return learner.state(userId, new FactCandidate(subject, attribute, value, category, FactCandidate.STATED,
                true));
    }

    /** Deletes one fact version of {@code userId}'s by id; false when they have no such fact. */
    public boolean delete(String userId, String factId) {
        if (fact(userId, factId).isEmpty()) {
            return false;
        }
        store.deleteFacts(userId, List.of(factId));
        store.deleteUnnamedEntities(userId);
        search.delete(userId, factId);
        return true;
    }

    /** Settles a pending contradiction: the new value replaces the fact, or the fact stays. */
    public Contradiction resolve(String userId, String contradictionId, boolean acceptNew) {
        Contradiction c = store.contradictions(userId, true).stream()
                .filter(p -> p.id().equals(contradictionId) || p.id().startsWith(contradictionId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pending contradiction '" + contradictionId + "'"));
        if (acceptNew) {
            learner.state(userId, new FactCandidate(c.subject(), c.attribute(), c.value(), c.category(), c.confidence(),
                    true));
        }
        store.resolveContradiction(userId, c.id(), acceptNew ? Contradiction.ACCEPTED : Contradiction.REJECTED,
                clock.millis());
        return c;
    }

    public List<Contradiction> pendingContradictions(String userId) {
        return store.contradictions(userId, true);
    }

    /** Where every change is mirrored (upkeep's episode summaries follow it too). */
    MemorySearch search() { return search; }

    /** The knowledge base of the user's documents, when one is wired in. */
    public Optional<Knowledge> knowledge() {
        return Optional.ofNullable(knowledge);
    }

    // --- entities ----------------------------------------------------------------------------------------------

    public List<Entity> entities(String userId) {
        return store.entities(userId);
    }

    public List<Relation> relations(String userId) {
        return store.relations(userId);
    }

    /** Every entity with its attributes, relations and the facts behind them. */
    public List<EntityCard> entityCards(String userId) {
        return cards.all(userId);
    }

    /** One entity by its name or an alias. */
    public Optional<EntityCard> entity(String userId, String nameOrAlias) {
        return cards.find(userId, nameOrAlias);
    }

    /**
     * Resolves references such as "the CFO", "my manager", "the team" or an alias ("Acme") to the names they stand
     * for today.
     */
    public List<String> resolve(String userId, String text) {
        return linker.resolve(userId, text);
    }

    // --- recall and forget -------------------------------------------------------------------------------------

    /**
     * What a search found: current facts, their history, past exchanges, and passages of the user's documents (data
     * to quote, never instructions).
     */
    public record Recall(String query, List<Fact> current, List<Fact> history, List<Episode> episodes,
                         List<Passage> passages) {
        public boolean isEmpty() {
            return current.isEmpty() && history.isEmpty() && episodes.isEmpty() && passages.isEmpty();
        }

        public String summary() {
            return MemorySummaries.recall(this);
        }
    }

    public Recall recall(String userId, String query, int k) {
        List<Fact> answered = answers.answer(userId, query);
        if (!answered.isEmpty()) { // a question the entities answer: those facts, not a search's neighbours
            store.touchFacts(userId, MemoryStore.ids(answered), clock.millis());
            return new Recall(query, answered, List.of(), List.of(), List.of());
        }
        List<String> names = resolve(userId, query);
        String expanded = query + (names.isEmpty() ? "" : " " + String.join(" ", names));
        List<MemoryHit> hits = search.search(MemoryQuery.of(userId, expanded, Math.max(k, 1) * 4));
        List<String> factIds = new ArrayList<>();
        List<String> episodeIds = new ArrayList<>();
        for (MemoryHit hit : hits) {
            if (!hit.document().userId().equals(userId)) {
                continue; // a search that crossed users is a bug in the search; never show it
            }
            ("episode".equals(hit.document().kind()) ? episodeIds : factIds).add(hit.document().id());
        }
        Map<String, Fact> byKey = new LinkedHashMap<>();
        List<Fact> found = new ArrayList<>(store.factsById(userId, factIds));
        found.sort(java.util.Comparator.comparingInt(f -> factIds.indexOf(f.id())));
        for (String name : names) {
            found.addAll(store.factsAbout(userId, name));
        }
        List<Fact> current = new ArrayList<>();
        List<Fact> history = new ArrayList<>();
        for (Fact f : found) {
            byKey.putIfAbsent(slot(f), f);
        }
        for (List<Fact> versions : store.versionsOf(userId, byKey.values()).values()) {
            for (Fact version : versions) {
                (version.current() ? current : history).add(version);
            }
        }
        List<Fact> shownCurrent = current.stream().limit(k).toList();
        store.touchFacts(userId, shownCurrent.stream().map(Fact::id).toList(), clock.millis());
        Map<String, Episode> episodes = new LinkedHashMap<>();
        store.episodesById(userId, episodeIds).stream()
                .sorted(java.util.Comparator.comparingInt(e -> episodeIds.indexOf(e.id())))
                .limit(k).forEach(e -> episodes.put(e.id(), e));
        List<Passage> passages = knowledge == null ? List.of() : knowledge.search(userId, query, RECALL_PASSAGES);
        return new Recall(query, shownCurrent, history, List.copyOf(episodes.values()), passages);
    }

    /** What a forget removed. */
    public record Forgotten(List<Fact> facts, int episodes) {
        public String summary(String query) {
            if (facts.isEmpty() && episodes == 0) {
                return "I had nothing about " + query.strip() + " to forget.";
            }
            StringBuilder text = new StringBuilder("Forgotten:");
            facts.stream().filter(Fact::current).forEach(f -> text.append("\n• ").append(f.statement()).append('.'));
            long history = facts.stream().filter(f -> !f.current()).count();
            if (history > 0) {
                text.append("\n(and ").append(history).append(" earlier version").append(history == 1 ? "" : "s")
                        .append(')');
            }
            if (episodes > 0) {
                text.append("\n(and ").append(episodes).append(" past exchange").append(episodes == 1 ? "" : "s")
                        .append(" that mentioned it)");
            }
            return text.toString();
        }
    }

    /** Forgets every fact (with its history) and every exchange that mentions all the words of the query. */
    public Forgotten forget(String userId, String query) {
        List<String> terms = Terms.of(query);
        if (terms.isEmpty()) {
            return new Forgotten(List.of(), 0);
        }
        List<Fact> doomed = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Fact f : store.facts(userId, true)) {
            String text = f.statement() + " " + f.subject() + " " + f.attribute() + " " + f.value();
            if (Terms.containsAll(text, terms)) {
                keys.add(forgottenWith(f));
            }
        }
        for (Fact f : store.facts(userId, true)) {
            if (keys.contains(forgottenWith(f))) {
                doomed.add(f);
            }
        }
        List<Episode> all = store.episodes(userId);
        List<String> episodes = all.stream()
                .filter(e -> Terms.containsAll(e.text(), terms)).map(Episode::id).toList();
        // the exchanges after a forgotten one hold its words in their context and conversation: rewrite them
        Set<String> gone = Set.copyOf(episodes);
        Set<String> after = new LinkedHashSet<>();
        for (int i = 0; i < all.size(); i++) {
            if (gone.contains(all.get(i).id())) {
                all.subList(i + 1, Math.min(all.size(), i + 1 + MemoryDocuments.CONVERSATION_EPISODES)).stream().map(Episode::id)
                        .filter(id -> !gone.contains(id)).forEach(after::add);
            }
        }
        store.deleteFacts(userId, MemoryStore.ids(doomed));
        store.deleteUnnamedEntities(userId);
        store.deleteEpisodes(userId, episodes);
        doomed.forEach(f -> search.delete(userId, f.id()));
        episodes.forEach(id -> search.delete(userId, id));
        if (!after.isEmpty()) {
            search.upsertAll(MemoryDocuments.ofEpisodes(store.episodes(userId), after));
        }
        return new Forgotten(doomed, episodes.size());
    }

    /** Which attribute of which subject a fact is a version of. */
    private static String slot(Fact f) {
        return MemoryStore.slot(f.subject(), f.attribute());
    }

    /** What is forgotten together: a value with its history, but each value of a multi-valued attribute alone. */
    private static String forgottenWith(Fact f) {
        return slot(f) + "\u0000" + (FactLearner.MULTI_VALUED.contains(MemoryStore.key(f.attribute())) ? f.id() : "");
    }

    /** Forgets facts nobody used for longer than the user's expiry (default 180 days); returns how many. */
    public int expire(String userId) {
        MemorySettings settings = store.settings(userId);
        if (settings.expiryDays() <= 0) {
            return 0;
        }
        List<String> ids = store.unusedSince(userId, clock.millis() - Duration.ofDays(settings.expiryDays()).toMillis());
        store.deleteFacts(userId, ids);
        if (!ids.isEmpty()) {
            store.deleteUnnamedEntities(userId);
        }
        ids.forEach(id -> search.delete(userId, id));
        return ids.size();
    }

    /** Deletes everything remembered about a user. */
    public Map<String, Integer> clear(String userId) {
        Map<String, Integer> counts = new LinkedHashMap<>(store.deleteAll(userId));
        search.deleteAll(userId);
        if (knowledge != null) {
            counts.put("documents", knowledge.clear(userId));
        }
        return counts;
    }

    // --- listing, core blocks, settings, stats -----------------------------------------------------------------

    public List<Fact> facts(String userId, boolean withHistory) {
        return store.facts(userId, withHistory);
    }

    public List<Episode> episodes(String userId) {
        return store.episodes(userId);
    }

    /** The core blocks, with the default persona if the user has not written one. */
    public List<CoreBlock> coreBlocks(String userId) {
        List<CoreBlock> blocks = new ArrayList<>(store.coreBlocks(userId));
        if (blocks.stream().noneMatch(b -> b.name().equals(CoreBlock.PERSONA))) {
            blocks.add(0, new CoreBlock(userId, CoreBlock.PERSONA, DEFAULT_PERSONA, 0));
        }
        return blocks;
    }

    public CoreBlock setCoreBlock(String userId, String name, String body) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (!n.equals(CoreBlock.PERSONA) && !n.equals(CoreBlock.HUMAN)) {
            throw new IllegalArgumentException("core blocks are 'persona' and 'human', not '" + name + "'");
        }
        PrivacyFilter.Filtered filtered = privacy.filter(body);
        if (!filtered.clean()) {
            throw new IllegalArgumentException("that text holds " + PrivacyFilter.describe(filtered.removed())
                    + "; core blocks never store those");
        }
        CoreBlock block = new CoreBlock(userId, n, body.strip(), clock.millis());
        store.putCoreBlock(block);
        return block;
    }

    public MemorySettings settings(String userId) {
        return store.settings(userId);
    }

    public void updateSettings(MemorySettings settings) {
        store.putSettings(settings, clock.millis());
    }

    public Map<String, Long> stats(String userId) {
        return store.counts(userId);
    }

    // --- export and import -------------------------------------------------------------------------------------

    /** Everything remembered about a user, losslessly: every fact version, entity, relation, episode, block. */
    public ObjectNode export(String userId) {
        return transfer.export(userId);
    }

    /** How many of each kind an import added, and how many it skipped because they were there already. */
    public record Imported(int facts, int entities, int relations, int episodes, int coreBlocks, int skipped) {
        public String summary() {
            return "Imported " + facts + " fact versions, " + entities + " entities, " + relations + " relations, "
                    + episodes + " episodes and " + coreBlocks + " core blocks"
                    + (skipped == 0 ? "." : "; skipped " + skipped + " already there.");
        }
    }

    /** Reads an export back in for a user (the user it was exported from or another); ids are kept. */
    public Imported importJson(String userId, JsonNode root) {
        return transfer.importJson(userId, root);
    }

    /** The same as {@link #export}, for people: facts by category with their history, then the rest. */
    public String exportMarkdown(String userId) {
        return transfer.markdown(userId, coreBlocks(userId));
    }

    // --- search documents --------------------------------------------------------------------------------------

    /** Rebuilds the search documents of a user from the rows, e.g. after the index was lost or replaced. */
    public int reindex(String userId) {
        return reindex(userId, written -> { });
    }

    /** As above, writing {@value #REINDEX_BATCH} documents at a time and telling {@code written} after each batch. */
    private int reindex(String userId, IntConsumer written) {
        search.deleteAll(userId);
        List<MemoryDocument> documents = new ArrayList<>();
        store.facts(userId, true).forEach(f -> documents.add(MemoryDocuments.of(f)));
        documents.addAll(MemoryDocuments.ofEpisodes(store.episodes(userId), null));
        for (int from = 0; from < documents.size(); from += REINDEX_BATCH) {
            List<MemoryDocument> batch = documents.subList(from, Math.min(documents.size(), from + REINDEX_BATCH));
            search.upsertAll(batch);
            written.accept(batch.size());
        }
        return documents.size();
    }

    /** A user whose search documents differ in number from what the store holds. */
    public record IndexDrift(String userId, int stored, int indexed) {}

    /** Users whose search index disagrees with the store ('steward memory reindex' mends it); empty when all agree. */
    public List<IndexDrift> indexDrift() {
        List<IndexDrift> drift = new ArrayList<>();
        for (String user : store.users()) {
            int stored = store.facts(user, true).size() + store.episodes(user).size();
            int indexed = search.count(user);
            if (indexed >= 0 && indexed != stored) {
                drift.add(new IndexDrift(user, stored, indexed));
            }
        }
        return drift;
    }

    /** Rebuilds the search documents of every user who has memories; the number of documents per user. */
    public Map<String, Integer> reindexAll() {
        return reindexAll(IndexProgress.NONE);
    }

    /** As {@link #reindexAll()}, telling {@code progress} how many memories of all are written so far. */
    public Map<String, Integer> reindexAll(IndexProgress progress) {
        int total = store.memoryCount();
        int[] done = {0};
        progress.indexed(0, total);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String user : store.users()) {
            // memories written meanwhile are rebuilt too: the total grows with them rather than be passed
            counts.put(user, reindex(user, n -> progress.indexed(done[0] += n, Math.max(total, done[0]))));
        }
        return counts;
    }
}
