package dev.steward.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.steward.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** The rows of memory. Every query names its user: no method reads across users. */
final class MemoryStore {
    /** How long a user's settings are kept before they are read again (see {@link #settings}). */
    static final Duration SETTINGS_FRESH = Duration.ofSeconds(1);

    private final Database database;
    private final Cache<String, MemorySettings> settings = Caffeine.newBuilder().expireAfterWrite(SETTINGS_FRESH)
            .maximumSize(10_000).build();

    MemoryStore(Database database) {
        this.database = database;
    }

    static String key(String text) {
        return text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    // --- facts -------------------------------------------------------------------------------------------------

    void insertFact(Fact f) {
        database.jdbi().useHandle(h -> insertFact(h, f));
    }

    static void insertFact(Handle h, Fact f) {
        h.createUpdate("""
                        INSERT INTO facts (id, user_id, subject, subject_key, attribute, fact_value, category, confidence,
                            source, source_ref, valid_from, valid_to, superseded_by, created_at, last_accessed_at,
                            access_count)
                        VALUES (:id, :userId, :subject, :subjectKey, :attribute, :value, :category, :confidence,
                            :source, :sourceRef, :validFrom, :validTo, :supersededBy, :createdAt, :lastAccessedAt,
                            :accessCount)
                        """)
                .bindMethods(f)
                .bind("subjectKey", key(f.subject()))
                .bind("category", f.category().id())
                .execute();
    }

    /** Closes one version and opens its successor, in one transaction. */
    void replaceFact(Fact closed, Fact successor) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("UPDATE facts SET valid_to = :validTo, superseded_by = :supersededBy"
                            + " WHERE id = :id AND user_id = :userId")
                    .bindMethods(closed).execute();
            insertFact(h, successor);
        });
    }

    void touchFacts(String userId, Collection<String> ids, long at) {
        if (ids.isEmpty()) {
            return;
        }
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE facts SET last_accessed_at = :at,"
                        + " access_count = access_count + 1 WHERE user_id = :user AND id IN (<ids>)")
                .bind("at", at).bind("user", userId).bindList("ids", List.copyOf(ids)).execute());
    }

    void restate(Fact fact, double confidence, long at) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE facts SET confidence = :confidence,"
                        + " last_accessed_at = :at, access_count = access_count + 1 WHERE id = :id AND user_id = :user")
                .bind("confidence", confidence).bind("at", at).bind("id", fact.id()).bind("user", fact.userId())
                .execute());
    }

    /** Every version of one subject's attribute, oldest first. */
    List<Fact> versions(String userId, String subject, String attribute) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM facts WHERE user_id = :user"
                        + " AND subject_key = :subject AND LOWER(attribute) = :attribute ORDER BY valid_from, created_at")
                .bind("user", userId).bind("subject", key(subject)).bind("attribute", key(attribute))
                .map((rs, ctx) -> fact(rs)).list());
    }

    /**
     * The versions of several slots at once, as {@link #versions} gives each (oldest first): for the slots of
     * {@code facts}, keyed by {@link #slot}. One query where a recall made one per fact it found.
     */
    Map<String, List<Fact>> versionsOf(String userId, Collection<Fact> facts) {
        Map<String, List<Fact>> bySlot = new LinkedHashMap<>();
        facts.forEach(f -> bySlot.putIfAbsent(slot(f.subject(), f.attribute()), new ArrayList<>()));
        if (bySlot.isEmpty()) {
            return bySlot;
        }
        List<String> subjects = facts.stream().map(f -> key(f.subject())).distinct().toList();
        database.jdbi().useHandle(h -> h.createQuery("SELECT * FROM facts WHERE user_id = :user"
                        + " AND subject_key IN (<subjects>) ORDER BY valid_from, created_at")
                .bind("user", userId).bindList("subjects", subjects)
                .map((rs, ctx) -> fact(rs)).forEach(f -> {
                    // as versions() matches: the stored attribute lower-cased against the asked one's key
                    List<Fact> slot = bySlot.get(key(f.subject()) + '\u0000' + f.attribute().toLowerCase(Locale.ROOT));
                    if (slot != null) {
                        slot.add(f);
                    }
                }));
        return bySlot;
    }

    /** Which attribute of which subject a fact is a version of: the key of {@link #versionsOf}. */
    static String slot(String subject, String attribute) {
        return key(subject) + '\u0000' + key(attribute);
    }

    List<Fact> facts(String userId, boolean withHistory) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM facts WHERE user_id = :user"
                        + (withHistory ? "" : " AND valid_to IS NULL")
                        + " ORDER BY category, subject_key, attribute, valid_from, created_at")
                .bind("user", userId).map((rs, ctx) -> fact(rs)).list());
    }

    List<Fact> factsById(String userId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM facts WHERE user_id = :user AND id IN (<ids>)")
                .bind("user", userId).bindList("ids", List.copyOf(ids)).map((rs, ctx) -> fact(rs)).list());
    }

    List<Fact> factsAbout(String userId, String subject) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM facts WHERE user_id = :user"
                        + " AND subject_key = :subject ORDER BY attribute, valid_from")
                .bind("user", userId).bind("subject", key(subject)).map((rs, ctx) -> fact(rs)).list());
    }

    void deleteFacts(String userId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        database.jdbi().useHandle(h -> h.createUpdate("DELETE FROM facts WHERE user_id = :user AND id IN (<ids>)")
                .bind("user", userId).bindList("ids", List.copyOf(ids)).execute());
    }

    /** Ids of facts nobody used since {@code before}: current ones and their whole history. */
    List<String> unusedSince(String userId, long before) {
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT f.id FROM facts f WHERE f.user_id = :user AND EXISTS (
                            SELECT 1 FROM facts c WHERE c.user_id = f.user_id AND c.subject_key = f.subject_key
                              AND LOWER(c.attribute) = LOWER(f.attribute) AND c.valid_to IS NULL
                              AND c.last_accessed_at < :before)
                        """)
                .bind("user", userId).bind("before", before).mapTo(String.class).list());
    }

    private static Fact fact(ResultSet rs) throws SQLException {
        long validTo = rs.getLong("valid_to");
        Long to = rs.wasNull() ? null : validTo;
        return new Fact(rs.getString("id"), rs.getString("user_id"), rs.getString("subject"),
                rs.getString("attribute"), rs.getString("fact_value"), Category.fromId(rs.getString("category")),
                rs.getDouble("confidence"), rs.getString("source"), rs.getString("source_ref"),
                rs.getLong("valid_from"), to, rs.getString("superseded_by"), rs.getLong("created_at"),
                rs.getLong("last_accessed_at"), rs.getInt("access_count"));
    }

    // --- entities and relations --------------------------------------------------------------------------------

    Optional<Entity> entity(String userId, String nameOrAlias) {
        String k = key(nameOrAlias);
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT e.id FROM entities e WHERE e.user_id = :user AND e.name_key = :key
                        UNION SELECT a.entity_id FROM entity_aliases a WHERE a.user_id = :user AND a.alias_key = :key
                        """)
                .bind("user", userId).bind("key", k).mapTo(String.class).findFirst()
                .flatMap(id -> entityById(h, userId, id)));
    }

    /**
     * The names of the entities that any of {@code namesOrAliases} names, in their order (each the entity
     * {@link #entity} finds for it): one query where resolving a message's words made one per word.
     */
    List<String> entityNames(String userId, Collection<String> namesOrAliases) {
        List<String> keys = namesOrAliases.stream().map(MemoryStore::key).distinct().toList();
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<String, String[]> byKey = new LinkedHashMap<>(); // key -> {entity id, name}, the smallest id as entity()
        database.jdbi().useHandle(h -> h.createQuery("""
                        SELECT e.name_key AS k, e.id, e.name FROM entities e
                        WHERE e.user_id = :user AND e.name_key IN (<keys>)
                        UNION SELECT a.alias_key AS k, e.id, e.name FROM entity_aliases a
                        JOIN entities e ON e.user_id = a.user_id AND e.id = a.entity_id
                        WHERE a.user_id = :user AND a.alias_key IN (<keys>)
                        """)
                .bind("user", userId).bindList("keys", keys)
                .map((rs, ctx) -> new String[] {rs.getString("k"), rs.getString("id"), rs.getString("name")})
                .forEach(row -> byKey.merge(row[0], new String[] {row[1], row[2]},
                        (a, b) -> a[0].compareTo(b[0]) <= 0 ? a : b)));
        return keys.stream().map(byKey::get).filter(Objects::nonNull).map(found -> found[1]).toList();
    }

    private static Optional<Entity> entityById(Handle h, String userId, String id) {
        List<String> aliases = h.createQuery("SELECT alias FROM entity_aliases WHERE user_id = :user"
                        + " AND entity_id = :id ORDER BY alias_key")
                .bind("user", userId).bind("id", id).mapTo(String.class).list();
        return h.createQuery("SELECT * FROM entities WHERE user_id = :user AND id = :id")
                .bind("user", userId).bind("id", id)
                .map((rs, ctx) -> new Entity(rs.getString("id"), rs.getString("user_id"), rs.getString("name"),
                        rs.getString("entity_type"), aliases, rs.getLong("created_at")))
                .findOne();
    }

    void insertEntity(Entity e) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("INSERT INTO entities (id, user_id, name, name_key, entity_type, created_at)"
                            + " VALUES (:id, :userId, :name, :nameKey, :type, :createdAt)")
                    .bindMethods(e).bind("nameKey", key(e.name())).execute();
            for (String alias : e.aliases()) {
                insertAlias(h, e.userId(), e.id(), alias);
            }
        });
    }

    void addAlias(String userId, String entityId, String alias) {
        database.jdbi().useHandle(h -> {
            boolean known = h.createQuery("SELECT COUNT(*) FROM entity_aliases WHERE entity_id = :id"
                            + " AND alias_key = :key")
                    .bind("id", entityId).bind("key", key(alias)).mapTo(Integer.class).one() > 0;
            if (!known) {
                insertAlias(h, userId, entityId, alias);
            }
        });
    }

    private static void insertAlias(Handle h, String userId, String entityId, String alias) {
        h.createUpdate("INSERT INTO entity_aliases (entity_id, user_id, alias, alias_key)"
                        + " VALUES (:entity, :user, :alias, :key)")
                .bind("entity", entityId).bind("user", userId).bind("alias", alias).bind("key", key(alias)).execute();
    }

    List<Entity> entities(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM entities WHERE user_id = :user"
                        + " ORDER BY name_key").bind("user", userId).mapTo(String.class).list().stream()
                .map(id -> entityById(h, userId, id).orElseThrow()).toList());
    }

    void insertRelation(Relation r) {
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO relations (id, user_id, from_entity, relation, to_entity, valid_from, valid_to,
                            created_at, detail)
                        VALUES (:id, :userId, :fromEntity, :relation, :toEntity, :validFrom, :validTo, :createdAt,
                            :detail)
                        """).bindMethods(r).execute());
    }

    /**
     * Deletes the entities no fact names any more (as its subject or its value), with their aliases and relations:
     * forgetting the facts forgets what was linked from them.
     */
    void deleteUnnamedEntities(String userId) {
        database.jdbi().useTransaction(h -> {
            List<String> unnamed = h.createQuery("""
                            SELECT e.id FROM entities e WHERE e.user_id = :user AND NOT EXISTS (
                                SELECT 1 FROM facts f WHERE f.user_id = e.user_id
                                  AND (f.subject_key = e.name_key OR LOWER(f.fact_value) = e.name_key
                                       OR f.subject_key IN (SELECT a.alias_key FROM entity_aliases a WHERE a.entity_id = e.id)))
                            """).bind("user", userId).mapTo(String.class).list();
            if (!unnamed.isEmpty()) {
                for (String table : List.of("relations WHERE from_entity IN (<ids>) OR to_entity IN (<ids>)",
                        "entity_aliases WHERE entity_id IN (<ids>)", "entities WHERE id IN (<ids>)")) {
                    h.createUpdate("DELETE FROM " + table).bindList("ids", unnamed).execute();
                }
            }
        });
    }

    void closeRelation(String userId, String id, long at) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE relations SET valid_to = :at WHERE user_id = :user"
                        + " AND id = :id AND valid_to IS NULL")
                .bind("at", at).bind("user", userId).bind("id", id).execute());
    }

    List<Relation> relations(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM relations WHERE user_id = :user"
                        + " ORDER BY created_at, id").bind("user", userId)
                .map((rs, ctx) -> {
                    long to = rs.getLong("valid_to");
                    Long validTo = rs.wasNull() ? null : to; // read at once: wasNull is about the last column read
                    return new Relation(rs.getString("id"), rs.getString("user_id"), rs.getString("from_entity"),
                            rs.getString("relation"), rs.getString("to_entity"), rs.getLong("valid_from"), validTo,
                            rs.getLong("created_at"), rs.getString("detail"));
                }).list());
    }

    // --- episodes ----------------------------------------------------------------------------------------------

    /** Binds an {@link Episode}'s methods. */
    static final String INSERT_EPISODE = "INSERT INTO episodes (id, user_id, kind, task_id, input, answer, created_at)"
            + " VALUES (:id, :userId, :kind, :taskId, :input, :answer, :createdAt)";

    void insertEpisode(Episode e) {
        database.jdbi().useHandle(h -> h.createUpdate(INSERT_EPISODE).bindMethods(e).execute());
    }

    List<Episode> episodes(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM episodes WHERE user_id = :user"
                + " ORDER BY created_at, id").bind("user", userId).map((rs, ctx) -> episode(rs)).list());
    }

    /** The user's {@code n} latest episodes, oldest first. */
    List<Episode> latestEpisodes(String userId, int n) {
        List<Episode> latest = new ArrayList<>(database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM episodes WHERE user_id = :user ORDER BY created_at DESC, id DESC LIMIT :n")
                .bind("user", userId).bind("n", n).map((rs, ctx) -> episode(rs)).list()));
        java.util.Collections.reverse(latest);
        return latest;
    }

    List<Episode> episodesById(String userId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT * FROM episodes WHERE user_id = :user AND id IN (<ids>)")
                .bind("user", userId).bindList("ids", List.copyOf(ids)).map((rs, ctx) -> episode(rs)).list());
    }

    void deleteEpisodes(String userId, Collection<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM episodes WHERE user_id = :user AND id IN (<ids>)").bind("user", userId)
                    .bindList("ids", List.copyOf(ids)).execute();
            // a forgotten summary takes the originals upkeep kept for its undo with it
            h.createUpdate("DELETE FROM memory_upkeep WHERE user_id = :user AND kind = 'old_episodes' AND target_id"
                    + " IN (<ids>)").bind("user", userId).bindList("ids", List.copyOf(ids)).execute();
        });
    }

    private static Episode episode(ResultSet rs) throws SQLException {
        return new Episode(rs.getString("id"), rs.getString("user_id"), rs.getString("kind"),
                rs.getString("task_id"), rs.getString("input"), rs.getString("answer"), rs.getLong("created_at"));
    }

    // --- core blocks, settings, contradictions -----------------------------------------------------------------

    List<CoreBlock> coreBlocks(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM core_blocks WHERE user_id = :user"
                        + " ORDER BY name").bind("user", userId)
                .map((rs, ctx) -> new CoreBlock(rs.getString("user_id"), rs.getString("name"), rs.getString("body"),
                        rs.getLong("updated_at"))).list());
    }

    void putCoreBlock(CoreBlock block) {
        database.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM core_blocks WHERE user_id = :userId AND name = :name").bindMethods(block)
                    .execute();
            h.createUpdate("INSERT INTO core_blocks (user_id, name, body, updated_at)"
                    + " VALUES (:userId, :name, :body, :updatedAt)").bindMethods(block).execute();
        });
    }

    /**
     * A user's settings. Every chat reads them three or four times, so they are kept for {@link #SETTINGS_FRESH}: a
     * change made through this store is seen at once, one made by another process (a CLI command, another node)
     * within that time.
     */
    MemorySettings settings(String userId) {
        return settings.get(userId, this::readSettings);
    }

    private MemorySettings readSettings(String userId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM memory_settings WHERE user_id = :user")
                .bind("user", userId)
                .map((rs, ctx) -> new MemorySettings(userId, rs.getInt("enabled") != 0,
                        categories(rs.getString("blocked_categories")), rs.getInt("expiry_days")))
                .findOne().orElse(MemorySettings.defaults(userId)));
    }

    void putSettings(MemorySettings s, long at) {
        try {
            database.jdbi().useTransaction(h -> {
                h.createUpdate("DELETE FROM memory_settings WHERE user_id = :user").bind("user", s.userId()).execute();
                h.createUpdate("INSERT INTO memory_settings (user_id, enabled, blocked_categories, expiry_days,"
                                + " updated_at) VALUES (:user, :enabled, :blocked, :expiry, :at)")
                        .bind("user", s.userId()).bind("enabled", s.enabled() ? 1 : 0)
                        .bind("blocked", s.blockedCategories().stream().map(Category::id).sorted()
                                .collect(Collectors.joining(",")))
                        .bind("expiry", s.expiryDays()).bind("at", at).execute();
            });
        } finally {
            settings.invalidate(s.userId());
        }
    }

    private static Set<Category> categories(String csv) {
        Set<Category> set = EnumSet.noneOf(Category.class);
        Arrays.stream(csv.split(",")).filter(s -> !s.isBlank()).map(Category::fromId).forEach(set::add);
        return set;
    }

    void insertContradiction(Contradiction c) {
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO fact_contradictions (id, user_id, fact_id, subject, attribute, fact_value, category,
                            confidence, statement, status, created_at, resolved_at)
                        VALUES (:id, :userId, :factId, :subject, :attribute, :value, :category, :confidence,
                            :statement, :status, :createdAt, :resolvedAt)
                        """).bindMethods(c).bind("category", c.category().id()).execute());
    }

    List<Contradiction> contradictions(String userId, boolean pendingOnly) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM fact_contradictions WHERE user_id = :user"
                        + (pendingOnly ? " AND status = 'pending'" : "") + " ORDER BY created_at, id")
                .bind("user", userId)
                .map((rs, ctx) -> {
                    long resolved = rs.getLong("resolved_at");
                    Long resolvedAt = rs.wasNull() ? null : resolved;
                    return new Contradiction(rs.getString("id"), rs.getString("user_id"), rs.getString("fact_id"),
                            rs.getString("subject"), rs.getString("attribute"), rs.getString("fact_value"),
                            Category.fromId(rs.getString("category")), rs.getDouble("confidence"),
                            rs.getString("statement"), rs.getString("status"), rs.getLong("created_at"),
                            resolvedAt);
                }).list());
    }

    void resolveContradiction(String userId, String id, String status, long at) {
        database.jdbi().useHandle(h -> h.createUpdate("UPDATE fact_contradictions SET status = :status,"
                        + " resolved_at = :at WHERE user_id = :user AND id = :id")
                .bind("status", status).bind("at", at).bind("user", userId).bind("id", id).execute());
    }

    // --- whole users -------------------------------------------------------------------------------------------

    /** Deletes every memory row of a user; returns how many rows of each kind went. */
    Map<String, Integer> deleteAll(String userId) {
        try {
            return database.jdbi().inTransaction(h -> {
                Map<String, Integer> counts = new LinkedHashMap<>();
                for (String table : List.of("facts", "relations", "entity_aliases", "entities", "episodes",
                        "core_blocks", "memory_settings", "fact_contradictions",
                        "memory_upkeep")) { // the journal holds old episodes' text
                    counts.put(table, h.createUpdate("DELETE FROM " + table + " WHERE user_id = :user")
                            .bind("user", userId).execute());
                }
                return counts;
            });
        } finally {
            settings.invalidate(userId);
        }
    }

    Map<String, Long> counts(String userId) {
        return database.jdbi().withHandle(h -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String[] q : List.of(
                    new String[] {"facts", "SELECT COUNT(*) FROM facts WHERE user_id = :user AND valid_to IS NULL"},
                    new String[] {"history", "SELECT COUNT(*) FROM facts WHERE user_id = :user AND valid_to IS NOT NULL"},
                    new String[] {"entities", "SELECT COUNT(*) FROM entities WHERE user_id = :user"},
                    new String[] {"relations", "SELECT COUNT(*) FROM relations WHERE user_id = :user"},
                    new String[] {"episodes", "SELECT COUNT(*) FROM episodes WHERE user_id = :user"},
                    new String[] {"pending_contradictions",
                            "SELECT COUNT(*) FROM fact_contradictions WHERE user_id = :user AND status = 'pending'"})) {
                counts.put(q[0], h.createQuery(q[1]).bind("user", userId).mapTo(Long.class).one());
            }
            return counts;
        });
    }

    /** How many memories there are of every user (facts with their history, and episodes): what a rebuild writes. */
    int memoryCount() {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT (SELECT COUNT(*) FROM facts) + (SELECT COUNT(*) FROM episodes)")
                .mapTo(Long.class).one()).intValue();
    }

    List<String> users() {
        return database.jdbi().withHandle(h -> h.createQuery(
                        "SELECT user_id FROM facts UNION SELECT user_id FROM episodes ORDER BY user_id")
                .mapTo(String.class).list());
    }

    static List<String> ids(List<Fact> facts) {
        return new ArrayList<>(facts.stream().map(Fact::id).toList());
    }
}
