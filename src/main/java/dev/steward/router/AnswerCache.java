package dev.steward.router;

import java.util.List;
import java.util.Optional;

/**
 * A store of earlier answers the router may reuse instead of calling a model: the exact-match {@link ResponseCache}
 * and the {@link SemanticCache} (similar questions, by embedding), layered by {@link LayeredCache}.
 */
public interface AnswerCache extends AutoCloseable {

    /** An earlier answer and the route that produced it. */
    record Hit(ChatResponse response, String route) {}

    /** Whether this request may be answered from the cache at all (deterministic requests only, by default). */
    boolean eligible(ChatRequest request);

    Optional<Hit> lookup(ChatRequest request, String routeKey, String userId);

    void store(ChatRequest request, String routeKey, String userId, ChatResponse response, String route);

    /** Lookups since start-up that found an answer and that did not, by cache ("exact", "semantic"). */
    record Counts(String cache, long hits, long misses) {}

    default List<Counts> counts() {
        return List.of();
    }

    @Override
    void close();
}
