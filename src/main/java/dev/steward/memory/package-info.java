/**
 * What Steward remembers about its users: facts with history, contradictions, entities and relations, episodes
 * of past conversations, and the hybrid (BM25, vectors, graph) search over them with privacy controls. May
 * depend on store and support only.
 */
package dev.steward.memory;
