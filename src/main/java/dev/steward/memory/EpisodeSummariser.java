package dev.steward.memory;

import java.util.List;

/**
 * Writes the body of one summary of old episodes (upkeep replaces a week's exchanges by it). Each line should begin
 * with the date (YYYY-MM-DD) of the exchange it comes from; upkeep adds the header and the sources itself, so no
 * summariser can lose them. Offline it is {@link #extractive()}; with a model, the application wires one that asks
 * the model through the router and falls back to the extractive one.
 */
public interface EpisodeSummariser {
    /**
     * @param userId   whose episodes (a model call is charged to them)
     * @param episodes the group, oldest first, at least two
     */
    String summarise(String userId, List<Episode> episodes);

    /** The most informative sentences, dated, in the order they were said: deterministic, no model. */
    static EpisodeSummariser extractive() {
        return ExtractiveSummary.INSTANCE;
    }
}
