package dev.steward.router;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.steward.config.SemanticCacheConfig;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Reuses an answer for a question that means the same as one answered before: the last user message's embedding is
 * at or above the configured cosine to a cached question's, and everything else the model saw matches exactly (the
 * route, the user unless shared, the system prompt and every earlier message — which is where memory and skills go —
 * the tools, JSON mode and the token limit). Only routes named in {@code cache.semantic.routes}, only deterministic
 * requests (temperature set and at most 0), and never a request offering a tool that is not listed as read-only:
 * an answer that calls a tool with side effects must come from the model each time.
 *
 * <p>Entries live in memory only: a restart empties the cache (the exact-match cache is the persistent one).
 */
public final class SemanticCache implements AnswerCache {
    /** Questions kept per context: the newest win; a lookup compares against all of them. */
    static final int PER_CONTEXT = 64;
    private static final int MAX_CONTEXTS = 10_000;

    private final SemanticCacheConfig config;
    private final Function<String, float[]> embedder;
    private final Clock clock;
    private final Set<String> routes;
    private final Set<String> readOnlyTools;
    private final Cache<String, Deque<Entry>> contexts;
    /** The question's vector between a miss and the store that follows it, so it is embedded once. */
    private final Cache<String, float[]> vectors = Caffeine.newBuilder().maximumSize(1024).build();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    private record Entry(float[] vector, ChatResponse response, String route, long expiresAt) {}

    /**
     * @param embedder the question's vector (unit length or not: the cosine is computed in full); called only for
     *                 requests the cache may answer
     */
    public SemanticCache(SemanticCacheConfig config, Function<String, float[]> embedder, Clock clock) {
        this.config = config;
        this.embedder = embedder;
        this.clock = clock;
        this.routes = Set.copyOf(config.routes());
        this.readOnlyTools = Set.copyOf(config.readOnlyTools());
        this.contexts = Caffeine.newBuilder().maximumSize(MAX_CONTEXTS)
                .expireAfterWrite(config.ttlSeconds(), TimeUnit.SECONDS).build();
    }

    /** The cache as configured, or null when no route opts in. */
    public static SemanticCache open(SemanticCacheConfig config, Function<String, float[]> embedder, Clock clock) {
        return config.enabled() ? new SemanticCache(config, embedder, clock) : null;
    }

    @Override
    public boolean eligible(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        return request.temperature() != null && request.temperature() <= 0
                && !messages.isEmpty() && messages.getLast().role() == ChatMessage.Role.USER
                && !messages.getLast().content().isBlank()
                && request.tools().stream().allMatch(t -> readOnlyTools.contains(t.name()));
    }

    @Override
    public Optional<Hit> lookup(ChatRequest request, String routeKey, String userId) {
        if (!routes.contains(routeKey)) {
            return Optional.empty();
        }
        String question = request.messages().getLast().content();
        float[] vector = embedder.apply(question);
        Deque<Entry> entries = contexts.getIfPresent(contextKey(request, routeKey, userId));
        Entry best = null;
        double bestCosine = -1;
        if (entries != null) {
            long now = clock.millis();
            synchronized (entries) {
                for (Entry e : entries) {
                    double cosine = cosine(vector, e.vector());
                    if (e.expiresAt() > now && cosine > bestCosine) {
                        best = e;
                        bestCosine = cosine;
                    }
                }
            }
        }
        if (best != null && bestCosine >= config.similarity()) {
            hits.increment();
            return Optional.of(new Hit(best.response(), best.route()));
        }
        misses.increment();
        vectors.put(question, vector);
        return Optional.empty();
    }

    @Override
    public void store(ChatRequest request, String routeKey, String userId, ChatResponse response, String route) {
        if (!routes.contains(routeKey) || response.finishReason() == ChatResponse.FinishReason.LENGTH) {
            return;
        }
        String question = request.messages().getLast().content();
        float[] vector = vectors.getIfPresent(question);
        if (vector == null) {
            vector = embedder.apply(question);
        }
        vectors.invalidate(question);
        Entry entry = new Entry(vector, response, route, clock.millis() + config.ttlSeconds() * 1000L);
        Deque<Entry> entries = contexts.get(contextKey(request, routeKey, userId), k -> new ArrayDeque<>());
        synchronized (entries) {
            entries.addFirst(entry);
            while (entries.size() > PER_CONTEXT) {
                entries.removeLast();
            }
        }
    }

    @Override
    public List<Counts> counts() {
        return List.of(new Counts("semantic", hits.sum(), misses.sum()));
    }

    @Override
    public void close() {
        contexts.invalidateAll();
    }

    /** Everything the model saw but the question itself, hashed; the temperature is 0 for every eligible request. */
    private String contextKey(ChatRequest request, String routeKey, String userId) {
        List<ChatMessage> before = request.messages().subList(0, request.messages().size() - 1);
        ChatRequest context = new ChatRequest(before, request.tools(), request.model(), null, request.maxTokens(),
                request.jsonMode());
        return ResponseCache.key(context, routeKey, "semantic:" + (config.shared() ? "*" : userId));
    }

    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            return -1;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
