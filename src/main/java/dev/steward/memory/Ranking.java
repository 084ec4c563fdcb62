package dev.steward.memory;

import java.time.Duration;

/**
 * How {@link MemoryIndex} orders what it finds.
 *
 * <p>Lexical (BM25) and semantic (vector) candidates are fused, then each fused score is multiplied by a recency
 * factor and a confidence factor, each of the form {@code 1 - w + w * x} with x in [0, 1], so a weight of 0 turns
 * the factor off and a weight of 1 lets it scale the score down to 0.
 *
 * @param fusion           how the two lists are combined
 * @param lexicalWeight    share of the lexical list in the fusion (the semantic list gets {@code 1 - lexicalWeight})
 * @param candidates       how many candidates each list contributes, at least (more if the query asks for more)
 * @param minSimilarity    semantic candidates less similar than this (cosine) are dropped: a nearest neighbour is
 *                         not necessarily related, and unrelated memories only crowd the context
 * @param expansionTerms   pseudo-relevance feedback: this many distinctive words of the best first-pass memories
 *                         are added to the lexical query (0: off)
 * @param recencyWeight    0: age does not matter; 1: a memory one half-life old scores half
 * @param recencyHalfLife  age at which the recency factor x is one half
 * @param confidenceWeight 0: confidence does not matter; 1: score is multiplied by confidence
 */
public record Ranking(Fusion fusion, double lexicalWeight, int candidates, double minSimilarity, int expansionTerms,
                      double recencyWeight,
                      Duration recencyHalfLife, double confidenceWeight) {

    public enum Fusion {
        /** Reciprocal rank fusion: sum of weight / (60 + rank); robust to the scales of the two scores. */
        RECIPROCAL_RANK,
        /** Scores mixed after min-max normalisation within each list. */
        SCORE_MIX
    }

    public Ranking {
        if (lexicalWeight < 0 || lexicalWeight > 1 || recencyWeight < 0 || recencyWeight > 1
                || confidenceWeight < 0 || confidenceWeight > 1) {
            throw new IllegalArgumentException("weights must lie in [0, 1]");
        }
        if (candidates < 1 || expansionTerms < 0) {
            throw new IllegalArgumentException("candidates must be positive");
        }
        if (recencyHalfLife == null || recencyHalfLife.isNegative() || recencyHalfLife.isZero()) {
            throw new IllegalArgumentException("recencyHalfLife must be positive");
        }
    }

    /**
     * Production defaults: hybrid fusion, a light preference for recent and confident memories. 100 candidates of
     * each list at lexical weight 0.7 found more evidence than 50 at 0.6 on each LoCoMo conversation, and so did
     * their neighbours (75 or 100, 0.65–0.75): a plateau, not a spike (docs/benchmarks.md).
     */
    public static Ranking defaults() {
        return new Ranking(Fusion.SCORE_MIX, 0.7, 100, 0.2, 0, 0.2, Duration.ofDays(90), 0.2);
    }

    /** Production defaults, with the embedder's own threshold of relatedness. */
    public static Ranking defaultsFor(Embedder embedder) {
        return defaults().withMinSimilarity(embedder.relatedSimilarity());
    }

    public Ranking withRecencyWeight(double weight) {
        return new Ranking(fusion, lexicalWeight, candidates, minSimilarity, expansionTerms, weight, recencyHalfLife, confidenceWeight);
    }

    public Ranking withMinSimilarity(double similarity) {
        return new Ranking(fusion, lexicalWeight, candidates, similarity, expansionTerms, recencyWeight, recencyHalfLife, confidenceWeight);
    }

    public Ranking withExpansionTerms(int terms) {
        return new Ranking(fusion, lexicalWeight, candidates, minSimilarity, terms, recencyWeight, recencyHalfLife,
                confidenceWeight);
    }

    public Ranking withCandidates(int n) {
        return new Ranking(fusion, lexicalWeight, n, minSimilarity, expansionTerms, recencyWeight, recencyHalfLife,
                confidenceWeight);
    }

    public Ranking withFusion(Fusion f, double lexical) {
        return new Ranking(f, lexical, candidates, minSimilarity, expansionTerms, recencyWeight, recencyHalfLife, confidenceWeight);
    }
}
