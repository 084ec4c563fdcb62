package dev.steward.memory;

/** A memory a search found, with its score (higher is better; comparable within one search only). */
public record MemoryHit(MemoryDocument document, double score) {}
