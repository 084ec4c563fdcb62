package dev.steward.research;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The quote check: a claim stands only if the passage it quotes is in the text of the source it cites. Both sides
 * are compared after the same normalisation (case, spaces, typographic quotes and dashes), nothing looser.
 */
final class Citations {
    /** Quotes shorter than this prove nothing ("the", "in 2020"). */
    static final int MIN_QUOTE_CHARS = 12;

    private Citations() {}

    static String normalise(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replaceAll("[\u2018\u2019\u201B`]", "'").replaceAll("[\u201C\u201D\u201E]", "\"")
                .replaceAll("[\u2010-\u2015]", "-");
        return s.replaceAll("\\s+", " ").strip();
    }

    /** Why the claim cannot stand, or empty when its quote is in its source. */
    static Optional<String> problem(String quote, int source, Map<Integer, Source> sources) {
        Source cited = sources.get(source);
        if (cited == null) {
            return Optional.of("it cites [" + source + "], which is not a source of this report");
        }
        String wanted = normalise(quote == null ? "" : quote).replaceAll("^[\"']|[\"']$", "");
        if (wanted.length() < MIN_QUOTE_CHARS) {
            return Optional.of("its quote is too short to check");
        }
        return normalise(cited.text()).contains(wanted) ? Optional.empty()
                : Optional.of("its quote is not in [" + source + "] " + cited.url());
    }
}
