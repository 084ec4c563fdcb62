package dev.steward.memory;

import dev.steward.support.PrivacyFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.store.Database;
import dev.steward.support.Ids;
import dev.steward.support.Json;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Steward remembers about each user: facts with their history, entities and relations, episodes, core blocks.
 * Everything passes the {@link PrivacyFilter} before it is stored, every change is mirrored into the
 * {@link MemorySearch}, and every method is scoped to one user.
 */
public final class Memory {
    public static final String SOURCE_MESSAGE = "message";
    public static final String SOURCE_TASK = "task";
    public static final String SOURCE_IMPORT = "import";
    public static final String EXPORT_FORMAT = "steward-memory";
    public static final int EXPORT_VERSION = 1;
    static final String DEFAULT_PERSONA = "I am Steward, a capable assistant for a person or a small business.";
    /** Attributes that hold many values at once: a new one adds, it does not contradict. */
    private static final Set<String> MULTI_VALUED = Set.of("note", "prefers", "uses", "working on", "likes");
    private static final Pattern REFERENCE = Pattern.compile("\\b(my|our|the)\\s+([\\p{L}-]+(?:\\s+[\\p{L}-]+){0,3})",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COMPANY_SUFFIX = Pattern.compile(
            "\\s+(corp\\.?|corporation|inc\\.?|ltd\\.?|llc|gmbh|ag|sa|plc|co\\.?)$", Pattern.CASE_INSENSITIVE);

    private final MemoryStore store;
    private final MemorySearch search;
    private final FactExtractor extractor;
    private final PrivacyFilter privacy = new PrivacyFilter();
    private final Clock clock;

    public Memory(Database database, MemorySearch search, FactExtractor extractor, Clock clock) {
        this.store = new MemoryStore(database);
        this.search = search;
        this.extractor = extractor;
        this.clock = clock;
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
            if (disabled) {
                return "Memory is off for you, so I did not store anything (turn it on with "
                        + "`steward memory settings --on`).";
            }
            List<String> parts = new ArrayList<>();
            for (Fact f : stored) {
                if (replaced.stream().noneMatch(r -> f.id().equals(r.supersededBy()))) {
                    parts.add("I'll remember: " + f.statement() + ".");
                }
            }
            for (Fact old : replaced) {
                Fact now = stored.stream().filter(f -> f.id().equals(old.supersededBy())).findFirst().orElse(null);
                parts.add("Updated: " + (now == null ? "" : now.statement() + "; ") + "before, "
                        + lower(old.statement()) + ".");
            }
            for (Fact f : restated) {
                parts.add("I already knew that: " + f.statement() + ".");
            }
            for (Contradiction c : contradictions) {
                parts.add("That contradicts what I have: " + c.statement() + " Which is right? Say it again with "
                        + "\"now\" to update it (or `steward memory resolve " + c.id() + " new|old`).");
            }
            if (!blocked.isEmpty()) {
                parts.add("I did not store facts about " + String.join(", ", blocked.stream().map(Category::id)
                        .toList()) + ": you turned that category off.");
            }
            if (!leftOut.isEmpty()) {
                parts.add("I left out " + PrivacyFilter.describe(leftOut)
                        + ": I never store those, so nothing of it was saved.");
            }
            if (parts.isEmpty()) {
                parts.add("I did not find a fact to remember in that.");
            }
            return String.join("\n", parts);
        }

        private static String lower(String s) {
            return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
    }

    /** An explicit "remember that …": facts by pattern, or the statement as a note if no pattern reads it. */
    public Learned remember(String userId, String text, String source, String sourceRef) {
        MemorySettings settings = store.settings(userId);
        if (!settings.enabled()) {
            return Learned.off();
        }
        PrivacyFilter.Filtered filtered = privacy.filter(text);
        Accumulator acc = new Accumulator(filtered.removed());
        List<FactCandidate> candidates = extractor.extract(userId, filtered.text());
        String note = PatternFactExtractor.withoutRememberPrefix(filtered.text());
        if (candidates.isEmpty() && !note.isBlank()) {
            candidates = List.of(new FactCandidate(Fact.USER, "note", note, Category.OTHER, FactCandidate.STATED,
                    false));
        }
        for (FactCandidate c : candidates) {
            apply(userId, c, source, sourceRef, settings, acc);
        }
        return acc.learned();
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
        Accumulator acc = new Accumulator(removed);
        if (!in.text().isBlank()) {
            Episode episode = new Episode(Ids.next(), userId, taskId == null ? "exchange" : "task", taskId, in.text(),
                    out.text(), clock.millis());
            List<Episode> before = store.latestEpisodes(userId, CONVERSATION_EPISODES);
            store.insertEpisode(episode);
            search.upsert(document(episode, before));
        }
        if (extractFacts) {
            for (FactCandidate c : extractor.extract(userId, in.text())) {
                apply(userId, c, SOURCE_MESSAGE, taskId, settings, acc);
            }
        }
        return acc.learned();
    }

    private final class Accumulator {
        final List<Fact> stored = new ArrayList<>();
        final List<Fact> replaced = new ArrayList<>();
        final List<Fact> restated = new ArrayList<>();
        final List<Contradiction> contradictions = new ArrayList<>();
        final Set<Category> blocked = new LinkedHashSet<>();
        final Set<String> leftOut;

        Accumulator(Set<String> leftOut) {
            this.leftOut = new LinkedHashSet<>(leftOut); // a copy: a candidate's own sensitive data is added to it
        }

        Learned learned() {
            return new Learned(stored, replaced, restated, contradictions, leftOut, blocked, false);
        }
    }

    private void apply(String userId, FactCandidate c, String source, String ref, MemorySettings settings,
                       Accumulator acc) {
        if (c.value().isBlank() || c.attribute().isBlank()) {
            return;
        }
        if (!privacy.sensitive(c.value()).isEmpty()) {
            acc.leftOut.addAll(privacy.sensitive(c.value()));
            return;
        }
        if (settings.blockedCategories().contains(c.category())) {
            acc.blocked.add(c.category());
            return;
        }
        long now = clock.millis();
        List<Fact> current = store.versions(userId, c.subject(), c.attribute()).stream().filter(Fact::current).toList();
        Optional<Fact> same = current.stream().filter(f -> f.value().equalsIgnoreCase(c.value())).findFirst();
        if (same.isPresent()) {
            store.restate(same.get(), Math.max(same.get().confidence(), c.confidence()), now);
            acc.restated.add(same.get());
            return;
        }
        Fact fresh = new Fact(Ids.next(), userId, c.subject(), c.attribute(), c.value(), c.category(), c.confidence(),
                source, ref, now, null, null, now, now, 0);
        if (current.isEmpty() || MULTI_VALUED.contains(MemoryStore.key(c.attribute()))) {
            store.insertFact(fresh);
            search.upsert(document(fresh));
            acc.stored.add(fresh);
            link(userId, fresh);
            return;
        }
        Fact old = current.get(0);
        if (c.update()) {
            Fact closed = old.closed(now, fresh.id());
            store.replaceFact(closed, fresh);
            search.upsert(document(closed));
            search.upsert(document(fresh));
            acc.stored.add(fresh);
            acc.replaced.add(closed);
            for (Contradiction pending : store.contradictions(userId, true)) {
                if (pending.factId().equals(old.id())) {
                    store.resolveContradiction(userId, pending.id(),
                            pending.value().equalsIgnoreCase(c.value()) ? Contradiction.ACCEPTED
                                    : Contradiction.REJECTED, now);
                }
            }
            link(userId, fresh);
            return;
        }
        Fact proposed = fresh;
        String statement = "I have \"" + old.statement() + "\", and now you said \"" + proposed.statement() + "\".";
        Optional<Contradiction> known = store.contradictions(userId, true).stream()
                .filter(p -> p.factId().equals(old.id()) && p.value().equalsIgnoreCase(c.value())).findFirst();
        Contradiction contradiction = known.orElseGet(() -> {
            Contradiction added = new Contradiction(Ids.next(), userId, old.id(), c.subject(), c.attribute(),
                    c.value(), c.category(), c.confidence(), statement, Contradiction.PENDING, now, null);
            store.insertContradiction(added);
            return added;
        });
        acc.contradictions.add(contradiction);
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
        Accumulator acc = new Accumulator(Set.of());
        apply(userId, new FactCandidate(subject, attribute, value, category, FactCandidate.STATED, true),
                SOURCE_MESSAGE, null, store.settings(userId), acc);
        return acc.learned();
    }

    /** Deletes one fact version of {@code userId}'s by id; false when they have no such fact. */
    public boolean delete(String userId, String factId) {
        if (fact(userId, factId).isEmpty()) {
            return false;
        }
        store.deleteFacts(userId, List.of(factId));
        search.delete(userId, factId);
        return true;
    }

    /** Settles a pending contradiction: the new value replaces the fact, or the fact stays. */
    public Contradiction resolve(String userId, String contradictionId, boolean acceptNew) {
        Contradiction c = store.contradictions(userId, true).stream()
                .filter(p -> p.id().equals(contradictionId) || p.id().startsWith(contradictionId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pending contradiction '" + contradictionId + "'"));
        if (acceptNew) {
            apply(userId, new FactCandidate(c.subject(), c.attribute(), c.value(), c.category(), c.confidence(), true),
                    SOURCE_MESSAGE, null, store.settings(userId), new Accumulator(Set.of()));
        }
        store.resolveContradiction(userId, c.id(), acceptNew ? Contradiction.ACCEPTED : Contradiction.REJECTED,
                clock.millis());
        return c;
    }

    public List<Contradiction> pendingContradictions(String userId) {
        return store.contradictions(userId, true);
    }

    // --- entities ----------------------------------------------------------------------------------------------

    private void link(String userId, Fact f) {
        String subject = MemoryStore.key(f.subject());
        String attribute = MemoryStore.key(f.attribute());
        long now = clock.millis();
        if (!subject.equals(Fact.USER) && !subject.equals(Fact.US)) {
            entity(userId, f.subject(), f.category() == Category.PEOPLE ? "person" : typeOf(f.category()));
        }
        if (attribute.equals("company") || attribute.equals("employer")) {
            Entity company = entity(userId, f.value(), "company");
            Matcher suffix = COMPANY_SUFFIX.matcher(f.value());
            if (suffix.find() && suffix.start() > 0) {
                store.addAlias(userId, company.id(), f.value().substring(0, suffix.start()));
            }
        } else if (attribute.equals("team")) {
            entity(userId, f.value(), "team");
        } else if (attribute.equals("uses")) {
            entity(userId, f.value(), "tool");
        } else if (attribute.equals("working on") || f.category() == Category.PROJECTS) {
            entity(userId, f.value(), "project");
        } else if (f.category() == Category.PEOPLE && looksLikeName(f.value())
                && (subject.equals(Fact.US) || attribute.equals("manager") || attribute.equals("boss"))) {
            Entity person = entity(userId, f.value(), "person");
            String relation = subject.equals(Fact.US) ? "works_for" : "manages";
            currentValue(userId, Fact.USER, "company").ifPresent(company -> {
                Entity employer = entity(userId, company, "company");
                store.closeRelations(userId, person.id(), relation, now);
                store.insertRelation(new Relation(Ids.next(), userId, person.id(), relation, employer.id(), now, null,
                        now));
            });
        }
    }

    private Entity entity(String userId, String name, String type) {
        return store.entity(userId, name).orElseGet(() -> {
            Entity e = new Entity(Ids.next(), userId, name.strip(), type, List.of(), clock.millis());
            store.insertEntity(e);
            return e;
        });
    }

    private static String typeOf(Category category) {
        return switch (category) {
            case COMPANY -> "company";
            case PROJECTS -> "project";
            case INTEGRATIONS -> "tool";
            default -> "person";
        };
    }

    private static boolean looksLikeName(String value) {
        return !value.isEmpty() && Character.isUpperCase(value.charAt(0)) && value.split("\\s+").length <= 3;
    }

    private Optional<String> currentValue(String userId, String subject, String attribute) {
        return store.versions(userId, subject, attribute).stream().filter(Fact::current).map(Fact::value).findFirst();
    }

    public List<Entity> entities(String userId) {
        return store.entities(userId);
    }

    public List<Relation> relations(String userId) {
        return store.relations(userId);
    }

    /**
     * Resolves references such as "the CFO", "my manager", "the team" or an alias ("Acme") to the names they stand
     * for today.
     */
    public List<String> resolve(String userId, String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            List<String> subjects = m.group(1).equalsIgnoreCase("my") ? List.of(Fact.USER) : List.of(Fact.US, Fact.USER);
            String[] words = m.group(2).split("\\s+");
            found:
            for (int n = Math.min(words.length, 4); n >= 1; n--) {
                String attribute = String.join(" ", java.util.Arrays.copyOf(words, n));
                for (String subject : subjects) {
                    Optional<String> value = currentValue(userId, subject, attribute);
                    if (value.isPresent()) {
                        names.add(value.get());
                        break found;
                    }
                }
            }
        }
        for (String term : Terms.of(text)) {
            store.entity(userId, term).ifPresent(e -> names.add(e.name()));
        }
        return List.copyOf(names);
    }

    // --- recall and forget -------------------------------------------------------------------------------------

    /** What a search found: current facts, their history, and past exchanges. */
    public record Recall(String query, List<Fact> current, List<Fact> history, List<Episode> episodes) {
        public boolean isEmpty() {
            return current.isEmpty() && history.isEmpty() && episodes.isEmpty();
        }

        public String summary() {
            String about = query.isBlank() ? "that" : query.strip();
            if (isEmpty()) {
                return "I don't know anything about " + about + " yet. Tell me with \"remember that …\".";
            }
            StringBuilder text = new StringBuilder();
            if (!current.isEmpty() || !history.isEmpty()) {
                text.append("Here is what I know about ").append(about).append(':');
                current.forEach(f -> text.append("\n• ").append(f.statement()).append('.'));
                if (!history.isEmpty()) {
                    text.append("\nHistory:");
                    history.forEach(f -> text.append("\n• ").append(f.statement()).append('.'));
                }
            } else {
                text.append("I have no facts about ").append(about).append(", but we talked about it:");
                episodes.stream().limit(3).forEach(e -> text.append("\n• ")
                        .append(e.input().replaceAll("\\s+", " ")));
            }
            return text.toString();
        }
    }

    public Recall recall(String userId, String query, int k) {
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
            String key = MemoryStore.key(f.subject()) + "\u0000" + MemoryStore.key(f.attribute());
            if (byKey.putIfAbsent(key, f) != null) {
                continue;
            }
            for (Fact version : store.versions(userId, f.subject(), f.attribute())) {
                (version.current() ? current : history).add(version);
            }
        }
        List<Fact> shownCurrent = current.stream().limit(k).toList();
        store.touchFacts(userId, shownCurrent.stream().map(Fact::id).toList(), clock.millis());
        Map<String, Episode> episodes = new LinkedHashMap<>();
        store.episodesById(userId, episodeIds).stream()
                .sorted(java.util.Comparator.comparingInt(e -> episodeIds.indexOf(e.id())))
                .limit(k).forEach(e -> episodes.put(e.id(), e));
        return new Recall(query, shownCurrent, history, List.copyOf(episodes.values()));
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
                keys.add(MemoryStore.key(f.subject()) + "\u0000" + MemoryStore.key(f.attribute()) + "\u0000"
                        + (MULTI_VALUED.contains(MemoryStore.key(f.attribute())) ? f.id() : ""));
            }
        }
        for (Fact f : store.facts(userId, true)) {
            String key = MemoryStore.key(f.subject()) + "\u0000" + MemoryStore.key(f.attribute()) + "\u0000"
                    + (MULTI_VALUED.contains(MemoryStore.key(f.attribute())) ? f.id() : "");
            if (keys.contains(key)) {
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
                all.subList(i + 1, Math.min(all.size(), i + 1 + CONVERSATION_EPISODES)).stream().map(Episode::id)
                        .filter(id -> !gone.contains(id)).forEach(after::add);
            }
        }
        store.deleteFacts(userId, MemoryStore.ids(doomed));
        store.deleteEpisodes(userId, episodes);
        doomed.forEach(f -> search.delete(userId, f.id()));
        episodes.forEach(id -> search.delete(userId, id));
        if (!after.isEmpty()) {
            search.upsertAll(episodeDocuments(store.episodes(userId), after));
        }
        return new Forgotten(doomed, episodes.size());
    }

    /** Forgets facts nobody used for longer than the user's expiry (default 180 days); returns how many. */
    public int expire(String userId) {
        MemorySettings settings = store.settings(userId);
        if (settings.expiryDays() <= 0) {
            return 0;
        }
        List<String> ids = store.unusedSince(userId, clock.millis() - Duration.ofDays(settings.expiryDays()).toMillis());
        store.deleteFacts(userId, ids);
        ids.forEach(id -> search.delete(userId, id));
        return ids.size();
    }

    /** Deletes everything remembered about a user. */
    public Map<String, Integer> clear(String userId) {
        Map<String, Integer> counts = store.deleteAll(userId);
        search.deleteAll(userId);
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
        ObjectNode root = Json.object().put("format", EXPORT_FORMAT).put("version", EXPORT_VERSION)
                .put("user_id", userId).put("exported_at", clock.millis());
        root.set("settings", Json.mapper().valueToTree(store.settings(userId)));
        root.set("core_blocks", Json.mapper().valueToTree(store.coreBlocks(userId)));
        root.set("facts", Json.mapper().valueToTree(store.facts(userId, true)));
        root.set("entities", Json.mapper().valueToTree(store.entities(userId)));
        root.set("relations", Json.mapper().valueToTree(store.relations(userId)));
        root.set("episodes", Json.mapper().valueToTree(store.episodes(userId)));
        root.set("contradictions", Json.mapper().valueToTree(store.contradictions(userId, false)));
        return root;
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
        List<MemoryDocument> documents = new ArrayList<>(); // indexed together: one commit for the import
        if (!EXPORT_FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not a Steward memory export (its \"format\" is not \""
                    + EXPORT_FORMAT + "\")");
        }
        if (root.path("version").asInt() > EXPORT_VERSION) {
            throw new IllegalArgumentException("this export is version " + root.path("version").asInt()
                    + "; this Steward reads up to version " + EXPORT_VERSION);
        }
        int facts = 0;
        int entities = 0;
        int relations = 0;
        int episodes = 0;
        int blocks = 0;
        int skipped = 0;
        Set<String> knownFacts = new LinkedHashSet<>(MemoryStore.ids(store.facts(userId, true)));
        for (JsonNode node : root.path("facts")) {
            Fact f = read(node, Fact.class);
            Fact mine = new Fact(f.id(), userId, f.subject(), f.attribute(), f.value(), f.category(), f.confidence(),
                    f.source(), f.sourceRef(), f.validFrom(), f.validTo(), f.supersededBy(), f.createdAt(),
                    f.lastAccessedAt(), f.accessCount());
            if (knownFacts.contains(mine.id())) {
                skipped++;
                continue;
            }
            store.insertFact(mine);
            documents.add(document(mine));
            facts++;
        }
        Set<String> knownEntities = new LinkedHashSet<>(store.entities(userId).stream().map(Entity::id).toList());
        for (JsonNode node : root.path("entities")) {
            Entity e = read(node, Entity.class);
            if (knownEntities.contains(e.id()) || store.entity(userId, e.name()).isPresent()) {
                skipped++;
                continue;
            }
            store.insertEntity(new Entity(e.id(), userId, e.name(), e.type(), e.aliases(), e.createdAt()));
            entities++;
        }
        Set<String> knownRelations = new LinkedHashSet<>(store.relations(userId).stream().map(Relation::id).toList());
        for (JsonNode node : root.path("relations")) {
            Relation r = read(node, Relation.class);
            if (knownRelations.contains(r.id())) {
                skipped++;
                continue;
            }
            store.insertRelation(new Relation(r.id(), userId, r.fromEntity(), r.relation(), r.toEntity(),
                    r.validFrom(), r.validTo(), r.createdAt()));
            relations++;
        }
        Set<String> knownEpisodes = new LinkedHashSet<>(store.episodes(userId).stream().map(Episode::id).toList());
        Set<String> imported = new LinkedHashSet<>();
        for (JsonNode node : root.path("episodes")) {
            Episode e = read(node, Episode.class);
            if (knownEpisodes.contains(e.id())) {
                skipped++;
                continue;
            }
            Episode mine = new Episode(e.id(), userId, e.kind(), e.taskId(), e.input(), e.answer(), e.createdAt());
            store.insertEpisode(mine);
            imported.add(mine.id());
            episodes++;
        }
        documents.addAll(episodeDocuments(store.episodes(userId), imported));
        for (JsonNode node : root.path("core_blocks")) {
            CoreBlock b = read(node, CoreBlock.class);
            store.putCoreBlock(new CoreBlock(userId, b.name(), b.body(), b.updatedAt()));
            blocks++;
        }
        Set<String> knownContradictions = new LinkedHashSet<>(store.contradictions(userId, false).stream()
                .map(Contradiction::id).toList());
        for (JsonNode node : root.path("contradictions")) {
            Contradiction c = read(node, Contradiction.class);
            if (!knownContradictions.contains(c.id())) {
                store.insertContradiction(new Contradiction(c.id(), userId, c.factId(), c.subject(), c.attribute(),
                        c.value(), c.category(), c.confidence(), c.statement(), c.status(), c.createdAt(),
                        c.resolvedAt()));
            }
        }
        if (root.has("settings")) {
            MemorySettings s = read(root.path("settings"), MemorySettings.class);
            store.putSettings(new MemorySettings(userId, s.enabled(), s.blockedCategories(), s.expiryDays()),
                    clock.millis());
        }
        search.upsertAll(documents);
        return new Imported(facts, entities, relations, episodes, blocks, skipped);
    }

    private static <T> T read(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read a " + type.getSimpleName().toLowerCase(Locale.ROOT)
                    + " of the export: " + e.getMessage(), e);
        }
    }

    /** The same as {@link #export}, for people: facts by category with their history, then the rest. */
    public String exportMarkdown(String userId) {
        var day = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(java.time.ZoneOffset.UTC);
        StringBuilder md = new StringBuilder("# What Steward remembers about ").append(userId).append("\n\n");
        MemorySettings settings = store.settings(userId);
        md.append("Memory is ").append(settings.enabled() ? "on" : "off").append("; unused facts expire after ")
                .append(settings.expiryDays() <= 0 ? "never" : settings.expiryDays() + " days");
        if (!settings.blockedCategories().isEmpty()) {
            md.append("; never stored: ").append(String.join(", ",
                    settings.blockedCategories().stream().map(Category::id).sorted().toList()));
        }
        md.append(".\n\n## Core blocks\n");
        for (CoreBlock b : coreBlocks(userId)) {
            md.append("\n### ").append(b.name()).append("\n\n").append(b.body()).append('\n');
        }
        md.append("\n## Facts\n");
        List<Fact> all = store.facts(userId, true);
        for (Category category : Category.values()) {
            List<Fact> inCategory = all.stream().filter(f -> f.category() == category).toList();
            if (inCategory.isEmpty()) {
                continue;
            }
            md.append("\n### ").append(category.id()).append("\n\n");
            for (Fact f : inCategory) {
                md.append(f.current() ? "- " : "  - history: ").append(f.statement())
                        .append(String.format(Locale.ROOT, " — confidence %.1f, from %s, since %s `%s`%n",
                                f.confidence(), f.source(), day.format(java.time.Instant.ofEpochMilli(f.validFrom())),
                                f.id()));
            }
        }
        List<Entity> entities = store.entities(userId);
        if (!entities.isEmpty()) {
            md.append("\n## Entities\n\n");
            Map<String, String> names = new LinkedHashMap<>();
            for (Entity e : entities) {
                names.put(e.id(), e.name());
                md.append("- ").append(e.name()).append(" (").append(e.type()).append(')')
                        .append(e.aliases().isEmpty() ? "" : ", also " + String.join(", ", e.aliases())).append('\n');
            }
            List<Relation> relations = store.relations(userId);
            if (!relations.isEmpty()) {
                md.append("\n## Relations\n\n");
                for (Relation r : relations) {
                    md.append("- ").append(names.getOrDefault(r.fromEntity(), r.fromEntity())).append(' ')
                            .append(r.relation()).append(' ').append(names.getOrDefault(r.toEntity(), r.toEntity()))
                            .append(r.validTo() == null ? "" : " (until "
                                    + day.format(java.time.Instant.ofEpochMilli(r.validTo())) + ")").append('\n');
                }
            }
        }
        List<Contradiction> pending = store.contradictions(userId, true);
        if (!pending.isEmpty()) {
            md.append("\n## Waiting for you to decide\n\n");
            pending.forEach(c -> md.append("- ").append(c.statement()).append(" `").append(c.id()).append("`\n"));
        }
        List<Episode> episodes = store.episodes(userId);
        if (!episodes.isEmpty()) {
            md.append("\n## Conversations\n\n");
            for (Episode e : episodes) {
                md.append("- ").append(day.format(java.time.Instant.ofEpochMilli(e.createdAt()))).append(": ")
                        .append(e.input().replaceAll("\\s+", " ")).append('\n');
            }
        }
        return md.toString();
    }

    // --- search documents --------------------------------------------------------------------------------------

    static MemoryDocument document(Fact f) {
        return new MemoryDocument(f.id(), f.userId(), "fact", f.category().id(),
                f.statement() + " (" + f.category().id() + ")",
                f.sourceRef() == null ? List.of() : List.of(f.sourceRef()), f.validFrom(), f.confidence());
    }

    /** Exchanges this close to an episode are of the same sitting: they are its context and conversation. */
    static final Duration SITTING = Duration.ofMinutes(30);
    /** How many earlier exchanges of the sitting are an episode's conversation (the last one is its context). */
    static final int CONVERSATION_EPISODES = 4;

    /**
     * An episode's search document. "Yes, book it for Thursday" is found by what it answers: the exchange before it
     * in the same sitting is its context, and up to {@value #CONVERSATION_EPISODES} before it its conversation (see
     * docs/memory-search.md).
     *
     * @param before earlier episodes of the user, oldest first (any number; only the sitting's last few count)
     */
    static MemoryDocument document(Episode e, List<Episode> before) {
        List<String> sitting = new ArrayList<>();
        for (Episode b : before) {
            if (b.createdAt() <= e.createdAt() && e.createdAt() - b.createdAt() <= SITTING.toMillis()) {
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
    private static List<MemoryDocument> episodeDocuments(List<Episode> ordered, Set<String> only) {
        List<MemoryDocument> documents = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            if (only == null || only.contains(ordered.get(i).id())) {
                documents.add(document(ordered.get(i),
                        ordered.subList(Math.max(0, i - CONVERSATION_EPISODES), i)));
            }
        }
        return documents;
    }

    /** Rebuilds the search documents of a user from the rows, e.g. after the index was lost or replaced. */
    public int reindex(String userId) {
        search.deleteAll(userId);
        List<MemoryDocument> documents = new ArrayList<>();
        store.facts(userId, true).forEach(f -> documents.add(document(f)));
        documents.addAll(episodeDocuments(store.episodes(userId), null));
        search.upsertAll(documents);
        return documents.size();
    }

    /** Rebuilds the search documents of every user who has memories; the number of documents per user. */
    public Map<String, Integer> reindexAll() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        store.users().forEach(user -> counts.put(user, reindex(user)));
        return counts;
    }
}
