package dev.steward.router;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Several answer caches asked in order (the exact-match cache first: a hit there costs no embedding); an answer is
 * stored in each cache that takes the request.
 */
public final class LayeredCache implements AnswerCache {
    private final List<AnswerCache> layers;

    private LayeredCache(List<AnswerCache> layers) {
        this.layers = layers;
    }

    /** The caches that exist, layered; null when none does, one alone as itself. */
    public static AnswerCache of(AnswerCache... caches) {
        List<AnswerCache> present = java.util.Arrays.stream(caches).filter(Objects::nonNull).toList();
        return present.isEmpty() ? null : present.size() == 1 ? present.getFirst() : new LayeredCache(present);
    }

    @Override
    public boolean eligible(ChatRequest request) {
        return layers.stream().anyMatch(c -> c.eligible(request));
    }

    @Override
    public Optional<Hit> lookup(ChatRequest request, String routeKey, String userId) {
        for (AnswerCache layer : layers) {
            if (layer.eligible(request)) {
                Optional<Hit> hit = layer.lookup(request, routeKey, userId);
                if (hit.isPresent()) {
                    return hit;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void store(ChatRequest request, String routeKey, String userId, ChatResponse response, String route) {
        layers.stream().filter(c -> c.eligible(request)).forEach(c -> c.store(request, routeKey, userId, response, route));
    }

    @Override
    public List<Counts> counts() {
        return layers.stream().flatMap(c -> c.counts().stream()).toList();
    }

    @Override
    public void close() {
        layers.forEach(AnswerCache::close);
    }
}
