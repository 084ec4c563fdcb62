package dev.steward.memory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.support.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A user's memory out and back in: the lossless JSON export, its import, and the Markdown for people to read. */
final class MemoryTransfer {
    private final MemoryStore store;
    private final MemorySearch search;
    private final Clock clock;

    MemoryTransfer(MemoryStore store, MemorySearch search, Clock clock) {
        this.store = store;
        this.search = search;
        this.clock = clock;
    }

    /** Everything remembered about a user, losslessly: every fact version, entity, relation, episode, block. */
    ObjectNode export(String userId) {
        ObjectNode root = Json.object().put("format", Memory.EXPORT_FORMAT).put("version", Memory.EXPORT_VERSION)
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

    /** Reads an export back in for a user (the user it was exported from or another); ids are kept. */
    Memory.Imported importJson(String userId, JsonNode root) {
        List<MemoryDocument> documents = new ArrayList<>(); // indexed together: one commit for the import
        if (!Memory.EXPORT_FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not a Steward memory export (its \"format\" is not \""
                    + Memory.EXPORT_FORMAT + "\")");
        }
        if (root.path("version").asInt() > Memory.EXPORT_VERSION) {
            throw new IllegalArgumentException("this export is version " + root.path("version").asInt()
                    + "; this Steward reads up to version " + Memory.EXPORT_VERSION);
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
            documents.add(MemoryDocuments.of(mine));
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
                    r.validFrom(), r.validTo(), r.createdAt(), r.detail()));
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
        documents.addAll(MemoryDocuments.ofEpisodes(store.episodes(userId), imported));
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
        return new Memory.Imported(facts, entities, relations, episodes, blocks, skipped);
    }

    private static <T> T read(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read a " + type.getSimpleName().toLowerCase(Locale.ROOT)
                    + " of the export: " + e.getMessage(), e);
        }
    }

    /**
     * The same as {@link #export}, for people: facts by category with their history, then the rest.
     *
     * @param coreBlocks the user's core blocks as the agent sees them (with the default persona if they wrote none)
     */
    String markdown(String userId, List<CoreBlock> coreBlocks) {
        var day = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
        StringBuilder md = new StringBuilder("# What Steward remembers about ").append(userId).append("\n\n");
        MemorySettings settings = store.settings(userId);
        md.append("Memory is ").append(settings.enabled() ? "on" : "off").append("; unused facts expire after ")
                .append(settings.expiryDays() <= 0 ? "never" : settings.expiryDays() + " days");
        if (!settings.blockedCategories().isEmpty()) {
            md.append("; never stored: ").append(String.join(", ",
                    settings.blockedCategories().stream().map(Category::id).sorted().toList()));
        }
        md.append(".\n\n## Core blocks\n");
        for (CoreBlock b : coreBlocks) {
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
                                f.confidence(), f.source(), day.format(Instant.ofEpochMilli(f.validFrom())),
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
                            .append(r.relation()).append(r.detail() == null ? "" : " (" + r.detail() + ")").append(' ')
                            .append(names.getOrDefault(r.toEntity(), r.toEntity()))
                            .append(r.validTo() == null ? "" : " (until "
                                    + day.format(Instant.ofEpochMilli(r.validTo())) + ")").append('\n');
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
                md.append("- ").append(day.format(Instant.ofEpochMilli(e.createdAt()))).append(": ")
                        .append(e.input().replaceAll("\\s+", " ")).append('\n');
            }
        }
        return md.toString();
    }
}
