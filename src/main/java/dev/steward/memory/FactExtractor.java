package dev.steward.memory;

import java.util.List;

/**
 * Reads facts out of what the user said. {@link PatternFactExtractor} works offline on explicit statements; a
 * model-backed extractor (asked through the router for an answer in {@link #JSON_SCHEMA}) can take its place where
 * a model is available, and should fall back to the patterns when the model fails.
 */
public interface FactExtractor {
    /** The JSON Schema a model-backed extractor asks the model to answer in: {"facts": [FactCandidate…]}. */
    String JSON_SCHEMA = """
            {"type":"object","required":["facts"],"additionalProperties":false,"properties":{"facts":{"type":"array",
             "items":{"type":"object","additionalProperties":false,
              "required":["subject","attribute","value","category","confidence","update"],
              "properties":{
               "subject":{"type":"string","description":"'user' for the speaker, 'us' for their organisation, else a name"},
               "attribute":{"type":"string"},"value":{"type":"string"},
               "category":{"enum":["company","team","people","projects","preferences","integrations","other"]},
               "confidence":{"type":"number","description":"0.9 stated outright, 0.6 implied"},
               "update":{"type":"boolean","description":"said as a change: now, new, has replaced"}}}}}}""";

    /**
     * The facts in one message of {@code userId}'s (on whose behalf, and budget, a model is asked), in the order
     * said; none if it states nothing worth keeping.
     */
    List<FactCandidate> extract(String userId, String text);
}
