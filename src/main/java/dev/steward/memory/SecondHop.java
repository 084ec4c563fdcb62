package dev.steward.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.util.VectorUtil;

/**
 * The second hop of a search: how close each candidate is in meaning to the search's first results, so that evidence
 * which does not resemble the question but resembles what answers it ("what activities does Mel partake in?" →
 * the camping trip, next to the pottery class that names an activity) ranks higher. It is pseudo-relevance feedback
 * in vector space: the seeds are the best candidates by the first-hop features, and the feature is a candidate's mean
 * cosine with them.
 *
 * <p>The seeds are chosen by the plain sum of the first-hop features, not by the fitted weights, so that the feature
 * does not depend on the weights it is fitted with (a benchmark that fits on some conversations and tests on another
 * then measures it honestly). Measured on LoCoMo in docs/benchmarks.md.
 */
final class SecondHop {
    /** How many first results the second hop starts from (LoCoMo: 10 found more than 3 or 5). */
    static final int SEEDS = 10;

    private SecondHop() {}

    /**
     * Sets each candidate's second-hop feature: the mean cosine of its text vector with the seeds' (itself left out),
     * min-max scaled over the candidates; 0 for a candidate without a vector, and for all when vectors are off.
     */
    static void score(List<CandidateSearch.Candidate> all) {
        int hop = Ranking.Weights.FEATURES - 1;
        List<CandidateSearch.Candidate> seeds = seeds(all);
        double[] raw = new double[all.size()];
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < raw.length; i++) {
            raw[i] = meanCosine(all.get(i), seeds);
            if (!Double.isNaN(raw[i])) {
                low = Math.min(low, raw[i]);
                high = Math.max(high, raw[i]);
            }
        }
        for (int i = 0; i < raw.length; i++) {
            double x = raw[i];
            all.get(i).features[hop] = Double.isNaN(x) || high <= low ? 0 : (x - low) / (high - low);
        }
    }

    /** The best candidates by the unweighted sum of the first-hop features (ties by document, for repeatability). */
    private static List<CandidateSearch.Candidate> seeds(List<CandidateSearch.Candidate> all) {
        List<CandidateSearch.Candidate> ordered = new ArrayList<>(all);
        ordered.sort(Comparator.comparingDouble(SecondHop::firstHop).reversed()
                .thenComparingInt(c -> c.doc));
        return ordered.subList(0, Math.min(SEEDS, ordered.size()));
    }

    /**
     * The scaled features only (text and context words, text and context meaning, speaker named, conversation
     * words): the raw cosine is on another scale, and the second hop itself is not known yet.
     */
    private static double firstHop(CandidateSearch.Candidate c) {
        double[] f = c.features;
        return f[0] + f[1] + f[2] + f[4] + f[5] + f[6];
    }

    /** NaN when the candidate or every other seed has no vector. */
    private static double meanCosine(CandidateSearch.Candidate c, List<CandidateSearch.Candidate> seeds) {
        if (c.textVector == null) {
            return Double.NaN;
        }
        double sum = 0;
        int n = 0;
        for (CandidateSearch.Candidate s : seeds) {
            if (s != c && s.textVector != null) {
                sum += VectorUtil.dotProduct(c.textVector, s.textVector);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
