package dev.steward.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * How {@link MemoryIndex} orders what it finds.
 *
 * <p>Candidates come from four lists: BM25 over a memory's text and over its context (the words around it, such as a
 * turn's neighbours), and nearest neighbours of the query's vector among the text vectors and the context vectors;
 * a memory's wider conversation only ranks, by its words. Each candidate is scored by a logistic model over a few features (see {@link Weights}); the probability it gives is
 * then multiplied by a recency factor and a confidence factor, each of the form {@code 1 - w + w * x} with x in
 * [0, 1], so a weight of 0 turns the factor off and a weight of 1 lets it scale the score down to 0.
 *
 * @param weights          the logistic model's weights
 * @param semantic         whether vectors take part; without them a search never loads the model
 * @param candidates       how many candidates each list contributes, at least (more if the query asks for more)
 * @param minSimilarity    nearest neighbours less similar than this (cosine) are not candidates: a nearest neighbour
 *                         is not necessarily related, and unrelated memories only crowd the context
 * @param minProbability   with vectors, a memory the model gives less than this is left out, for the same reason
 *                         (one that waits for its vector is kept: it is too new to be judged by meaning)
 * @param recencyWeight    0: age does not matter; 1: a memory one half-life old scores half
 * @param recencyHalfLife  age at which the recency factor x is one half
 * @param confidenceWeight 0: confidence does not matter; 1: score is multiplied by confidence
 */
public record Ranking(Weights weights, boolean semantic, int candidates, double minSimilarity, double minProbability,
                      double recencyWeight, Duration recencyHalfLife, double confidenceWeight) {

    /**
     * A logistic model of "this memory answers the query" over the features of one candidate, each computed within
     * the candidates of one search, so that they mean the same whatever the size of the memory space.
     *
     * @param textWords      BM25 of the text, as a fraction of the best text BM25 among the candidates
     * @param contextWords   the same for the context
     * @param textMeaning    cosine of query and text vectors, min-max scaled over the candidates
     * @param textCosine     the same cosine, unscaled: how close the best candidates really are
     * @param contextMeaning cosine of query and context vectors, min-max scaled over the candidates
     * @param speakerNamed   1 when the query names whoever said the memory ("what did Sarah decide…")
     * @param conversationWords BM25 of the wider conversation around the memory, as a fraction of the best
     * @param secondHop      how close the memory is to the search's first results (see {@link SecondHop})
     * @param bias           the intercept
     */
    public record Weights(double textWords, double contextWords, double textMeaning, double textCosine,
                          double contextMeaning, double speakerNamed, double conversationWords, double secondHop,
                          double bias) {
        /** The features in this order; the fitter and the index agree on it. */
        public static final int FEATURES = 8;

        /** The probability the model gives a candidate with these features. */
        public double score(double[] features) {
            double z = bias + textWords * features[0] + contextWords * features[1] + textMeaning * features[2]
                    + textCosine * features[3] + contextMeaning * features[4] + speakerNamed * features[5]
                    + conversationWords * features[6] + secondHop * features[7];
            return 1 / (1 + Math.exp(-z));
        }

        /** The weights in feature order, then the bias. */
        public static Weights of(double[] w) {
            if (w.length != FEATURES + 1) {
                throw new IllegalArgumentException("expected " + (FEATURES + 1) + " weights, got " + w.length);
            }
            return new Weights(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]);
        }
    }

    /**
     * Sees each candidate a search weighs, before it is ranked: for fitting {@link Weights} to a benchmark's answers
     * through the very features the search scores.
     */
    @FunctionalInterface
    public interface Observer {
        Observer NONE = (document, features) -> { };

        /** @param features the candidate's features in {@link Weights} order (a copy: the search keeps its own) */
        void weighed(MemoryDocument document, double[] features);
    }

    public Ranking {
        Objects.requireNonNull(weights, "weights");
        if (recencyWeight < 0 || recencyWeight > 1 || confidenceWeight < 0 || confidenceWeight > 1
                || minProbability < 0 || minProbability >= 1) {
            throw new IllegalArgumentException("weights must lie in [0, 1]");
        }
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be positive");
        }
        if (recencyHalfLife == null || recencyHalfLife.isNegative() || recencyHalfLife.isZero()) {
            throw new IllegalArgumentException("recencyHalfLife must be positive");
        }
    }

    /** The best {@code k} of a search's candidates at time {@code now}, best first (see the class comment). */
    List<MemoryHit> rank(List<CandidateSearch.Candidate> candidates, int k, long now) {
        double halfLife = recencyHalfLife.toMillis();
        List<MemoryHit> hits = new ArrayList<>(candidates.size());
        for (CandidateSearch.Candidate c : candidates) {
            MemoryDocument d = c.document;
            double score = weights.score(c.features);
            if (semantic && !Double.isNaN(c.textCosine) && score < minProbability) {
                continue; // unrelated, by the model's own judgement
            }
            if (recencyWeight > 0) {
                double age = Math.max(0, now - d.timestamp());
                double fresh = Math.pow(0.5, age / halfLife);
                score *= 1 - recencyWeight + recencyWeight * fresh;
            }
            if (confidenceWeight > 0) {
                double confidence = Math.clamp(d.confidence(), 0, 1);
                score *= 1 - confidenceWeight + confidenceWeight * confidence;
            }
            hits.add(new MemoryHit(d, score));
        }
        hits.sort(Comparator.comparingDouble(MemoryHit::score).reversed()
                .thenComparing(h -> h.document().id()));
        return SourceOrder.apply(hits.subList(0, Math.min(k, hits.size())));
    }

    /**
     * The weights fitted on the LoCoMo development conversations through this index's own features (`steward bench
     * memory --fit`, docs/benchmarks.md), for the production embedder. Fitted on two conversations and tested on the
     * third, they find as much as fitted on all three: they are not tuned to particular questions.
     */
    public static final Weights FITTED = new Weights(0.73, 0.71, 5.69, 3.16, 6.18, 2.86, 2.72, -2.45, -12.99);

    /** The embedder whose cosines {@link #FITTED} was fitted with. */
    static final String FITTED_FOR = "e5-small-v2";

    /** The fitted model, a light preference for recent and confident memories; nothing left out by probability. */
    public static Ranking defaults() {
        return new Ranking(FITTED, true, 100, 0.2, 0, 0.2, Duration.ofDays(90), 0.2);
    }

    /**
     * Production defaults for an embedder: its own threshold of relatedness and, for the model the weights were
     * fitted with, a floor of 0.2 on their probability. That floor cost nothing on LoCoMo (9.7 of the first 10 turns
     * kept on average, the same recall) and keeps a company's name out of the answer about a planning meeting; for
     * another model the probabilities mean nothing absolute.
     */
    public static Ranking defaultsFor(Embedder embedder) {
        Ranking r = defaults().withMinSimilarity(embedder.relatedSimilarity());
        return embedder.name().equals(FITTED_FOR) ? r.withMinProbability(0.2) : r;
    }

    public Ranking withMinProbability(double p) {
        return new Ranking(weights, semantic, candidates, minSimilarity, p, recencyWeight, recencyHalfLife,
                confidenceWeight);
    }

    /** The same ranking by words alone (a short command that must not load the model). */
    public Ranking wordsOnly() {
        return new Ranking(weights, false, candidates, minSimilarity, minProbability, recencyWeight, recencyHalfLife,
                confidenceWeight);
    }

    public Ranking withWeights(Weights w) {
        return new Ranking(w, semantic, candidates, minSimilarity, minProbability, recencyWeight, recencyHalfLife,
                confidenceWeight);
    }

    public Ranking withRecencyWeight(double weight) {
        return new Ranking(weights, semantic, candidates, minSimilarity, minProbability, weight, recencyHalfLife,
                confidenceWeight);
    }

    public Ranking withMinSimilarity(double similarity) {
        return new Ranking(weights, semantic, candidates, similarity, minProbability, recencyWeight, recencyHalfLife,
                confidenceWeight);
    }

    public Ranking withCandidates(int n) {
        return new Ranking(weights, semantic, n, minSimilarity, minProbability, recencyWeight, recencyHalfLife,
                confidenceWeight);
    }
}
