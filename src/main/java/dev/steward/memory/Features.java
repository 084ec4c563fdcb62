package dev.steward.memory;

import java.util.List;

/**
 * The features {@link Ranking.Weights} scores, computed over the candidates of one search: each is relative to the
 * best (or the range) among them, so that a model fitted on one memory space applies to another of any size.
 */
final class Features {
    private Features() {}

    /**
     * What a search knows of one candidate.
     *
     * @param textWords     BM25 of its text, 0 when the text list did not return it
     * @param contextWords  BM25 of its context, 0 when that list did not return it; NaN when it has no context
     * @param conversationWords BM25 of its conversation; NaN when it has none
     * @param textCosine    cosine of the query and its text vector; NaN when it has none (yet) or vectors are off
     * @param contextCosine the same for its context vector; NaN when it has none (then its text's cosine counts)
     * @param speakerNamed  whether the query names its speaker
     */
    record Raw(double textWords, double contextWords, double conversationWords, double textCosine,
               double contextCosine, boolean speakerNamed) {}

    /** One row of {@link Ranking.Weights#FEATURES} features per candidate, in the order given. */
    static double[][] of(List<Raw> candidates) {
        double bestText = 0;
        double bestContext = 0;
        double bestConversation = 0;
        Range text = new Range();
        Range context = new Range();
        for (Raw r : candidates) {
            bestText = Math.max(bestText, r.textWords());
            if (!Double.isNaN(r.contextWords())) {
                bestContext = Math.max(bestContext, r.contextWords());
            }
            if (!Double.isNaN(r.conversationWords())) {
                bestConversation = Math.max(bestConversation, r.conversationWords());
            }
            text.add(r.textCosine());
            context.add(contextCosine(r));
        }
        double[][] rows = new double[candidates.size()][];
        for (int i = 0; i < rows.length; i++) {
            Raw r = candidates.get(i);
            double textWords = bestText > 0 ? r.textWords() / bestText : 0;
            double contextWords = Double.isNaN(r.contextWords()) ? textWords
                    : bestContext > 0 ? r.contextWords() / bestContext : 0;
            double conversationWords = Double.isNaN(r.conversationWords()) ? contextWords
                    : bestConversation > 0 ? r.conversationWords() / bestConversation : 0;
            rows[i] = new double[] {textWords, contextWords, text.scaled(r.textCosine()), text.orLowest(r.textCosine()),
                    context.scaled(contextCosine(r)), r.speakerNamed() ? 1 : 0, conversationWords, 0};
        }
        return rows;
    }

    private static double contextCosine(Raw r) {
        return Double.isNaN(r.contextCosine()) ? r.textCosine() : r.contextCosine();
    }

    /** The range of the known (not NaN) cosines. */
    private static final class Range {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;

        void add(double x) {
            if (!Double.isNaN(x)) {
                low = Math.min(low, x);
                high = Math.max(high, x);
            }
        }

        /** 0 for the lowest, 1 for the highest; an unknown cosine counts as the lowest. */
        double scaled(double x) {
            if (Double.isNaN(x)) {
                return 0;
            }
            return high > low ? (x - low) / (high - low) : 1;
        }

        /** The cosine itself; an unknown one counts as the lowest known (0 when none is). */
        double orLowest(double x) {
            return Double.isNaN(x) ? (low == Double.POSITIVE_INFINITY ? 0 : low) : x;
        }
    }
}
