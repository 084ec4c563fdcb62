package dev.steward.agent;

import dev.steward.memory.Embedder;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.Router;
import java.util.List;

/**
 * What a message asks for: conversation, question, simple action, complex task, clarification or memory. Decides
 * how a task is run (a complex task is planned and reviewed).
 */
public interface IntentClassifier {

    Intent classify(String text, List<ChatMessage> history, CallContext context);

    /** The cheap lexical model alone (naive Bayes over words): no model to load, for tests and tiny set-ups. */
    static IntentClassifier lexical() {
        return OfflineIntents.lexicalOnly();
    }

    /**
     * Offline: the lexical model when it is sure, else nearest neighbours over {@code embedder}'s vectors of the
     * labelled examples (all-MiniLM-L6-v2 in production; it loads on the first unsure message).
     */
    static IntentClassifier offline(Embedder embedder) {
        return OfflineIntents.withEmbedder(embedder);
    }

    /** As {@link #offline(Embedder)}, with the examples' vectors kept in {@code cacheDir} after the first use. */
    static IntentClassifier offline(Embedder embedder, java.nio.file.Path cacheDir) {
        return OfflineIntents.withEmbedder(embedder, cacheDir);
    }

    /** With a model: a small JSON call through the router (cheap tier); {@code fallback} on any error. */
    static IntentClassifier model(Router router, IntentClassifier fallback) {
        return new ModelIntents(router, fallback);
    }
}
