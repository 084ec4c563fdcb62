package dev.steward.router;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.steward.config.CacheConfig;
import dev.steward.store.BackgroundWriter;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers repeated deterministic requests without calling a model. Exact match on everything that shapes the
 * answer (messages, tools, model or route, JSON mode, limits), per user unless configured shared. Entries live in
 * memory for speed and in {@code response_cache} so they survive restarts.
 *
 * <p>This is the exact-match implementation of {@link AnswerCache}; {@link SemanticCache} (embedding similarity)
 * is asked after it, through {@link LayeredCache}.
 */
public final class ResponseCache implements AnswerCache {
    private static final int MAX_ENTRIES = 10_000;

    private final CacheConfig config;
    private final Database database;
    private final BackgroundWriter writer;
    private final Clock clock;
    private final Cache<String, Entry> memory;
    private volatile boolean warmed;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    record Entry(ChatResponse response, String route, long expiresAt) {}

    /** The cache as configured, or null when it is disabled. */
    public static ResponseCache open(CacheConfig config, Database database, Clock clock) {
        return config.enabled() ? new ResponseCache(config, database, clock) : null;
    }

    ResponseCache(CacheConfig config, Database database, Clock clock) {
        this.config = config;
        this.database = database;
        this.clock = clock;
        this.writer = new BackgroundWriter(database, "response-cache");
        this.memory = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();
    }

    @Override
    public boolean eligible(ChatRequest request) {
        return config.enabled() && request.temperature() != null && request.temperature() <= config.maxTemperature();
    }

    @Override
    public Optional<Hit> lookup(ChatRequest request, String routeKey, String userId) {
        warm();
        String key = key(request, routeKey, scope(userId));
        Entry entry = memory.getIfPresent(key);
        if (entry == null || entry.expiresAt() <= clock.millis()) {
            misses.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(new Hit(entry.response(), entry.route()));
    }

    @Override
    public void store(ChatRequest request, String routeKey, String userId, ChatResponse response, String route) {
        String scope = scope(userId);
        String key = key(request, routeKey, scope);
        long now = clock.millis();
        long expires = now + config.ttlSeconds() * 1000L;
        memory.put(key, new Entry(response, route, expires));
        String json = Json.write(response);
        writer.submit(h -> {
            h.createUpdate("DELETE FROM response_cache WHERE cache_key = :key").bind("key", key).execute();
            h.createUpdate("""
                            INSERT INTO response_cache (cache_key, user_id, model, response, created_at, expires_at)
                            VALUES (:key, :user, :model, :response, :created, :expires)""")
                    .bind("key", key).bind("user", scope).bind("model", route).bind("response", json)
                    .bind("created", now).bind("expires", expires).execute();
        });
    }

    @Override
    public List<Counts> counts() {
        return List.of(new Counts("exact", hits.sum(), misses.sum()));
    }

    @Override
    public void close() {
        writer.close();
    }

    private String scope(String userId) {
        return config.shared() ? null : userId;
    }

    /** Loads the newest live entries once, so a restart keeps the cache and a miss never touches the disk. */
    private void warm() {
        if (warmed) {
            return;
        }
        synchronized (this) {
            if (warmed) {
                return;
            }
            long now = clock.millis();
            database.jdbi().useHandle(h -> {
                h.createUpdate("DELETE FROM response_cache WHERE expires_at <= :now").bind("now", now).execute();
                h.createQuery("SELECT cache_key, model, response, expires_at FROM response_cache"
                                + " ORDER BY created_at DESC LIMIT " + MAX_ENTRIES)
                        .map((rs, ctx) -> {
                            memory.put(rs.getString("cache_key"), new Entry(
                                    Json.read(rs.getString("response"), ChatResponse.class),
                                    rs.getString("model"), rs.getLong("expires_at")));
                            return 1;
                        }).list();
            });
            warmed = true;
        }
    }

    static String key(ChatRequest request, String routeKey, String scope) {
        ObjectNode canonical = Json.object();
        canonical.put("route", routeKey);
        canonical.put("scope", scope);
        canonical.put("json", request.jsonMode());
        canonical.put("temperature", request.temperature());
        canonical.put("max_tokens", request.maxTokens());
        ArrayNode messages = canonical.putArray("messages");
        request.messages().forEach(m -> messages.add(Json.mapper().valueToTree(m)));
        ArrayNode tools = canonical.putArray("tools");
        request.tools().forEach(t -> tools.add(Json.mapper().valueToTree(t)));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
