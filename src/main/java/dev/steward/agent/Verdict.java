package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.support.Json;
import dev.steward.support.Text;

/** The Supervisor's review of a step's result: pass, or revise with feedback. */
record Verdict(boolean pass, String feedback) {
    /** Reads the Supervisor's JSON; an answer that is not a verdict passes, saying so, rather than loop on noise. */
    static Verdict parse(String answer) {
        try {
            JsonNode verdict = Json.parse(Json.unfenced(answer));
            String said = verdict.path("verdict").asText("").strip().toLowerCase(java.util.Locale.ROOT);
            String feedback = verdict.path("feedback").asText("").strip();
            if (said.equals("pass") || said.equals("revise")) {
                return new Verdict(said.equals("pass"), feedback.isEmpty() ? "(no feedback)" : feedback);
            }
        } catch (IllegalArgumentException notJson) {
            // Falls through: an unreadable review.
        }
        return new Verdict(true, "the review could not be read, so the result stands: "
                + Text.abbreviate(answer == null ? "" : answer.strip(), 200));
    }
}
