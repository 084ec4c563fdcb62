package dev.steward.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.memory.Category;
import dev.steward.memory.FactCandidate;
import dev.steward.memory.FactExtractor;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ChatRequest;
import dev.steward.router.Router;
import dev.steward.support.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads facts with a language model through the router, as a JSON answer in {@link FactExtractor#JSON_SCHEMA}. When
 * the router is offline, the call fails, or the answer does not fit the schema, the offline extractor answers
 * instead, so learning never depends on a model being there.
 */
public final class ModelFactExtractor implements FactExtractor {
    static final String PROMPT = """
            Extract durable facts the user states about themselves, their organisation, people, companies, places, \
            products, projects, preferences or tools from the message. One fact per attribute: split compound \
            statements ("my company is Acme Corp and Alice (alice@acme.com) is our CFO" is three facts: user company \
            Acme Corp; Alice email alice@acme.com; us CFO Alice). Subject is "user" for the speaker (I, my), "us" for \
            their organisation (we, our), else the name of the person or organisation. Use these attributes where \
            they fit: email, phone, role, title, "works at", "reports to", "leads" (value: the team or project), \
            company, location, sells, uses, "working on", customer, supplier, partner (subject "us", value the \
            organisation); for a role in the user's organisation the subject is "us", the attribute the role and \
            the value the person ("us", "CFO", "Alice"). Confidence 0.9 if stated outright, 0.6 if only implied. \
            update=true only if it is said as a change ("now", "new", "has replaced"). Never include card numbers, \
            ID numbers, passwords, keys, tokens or health details. Answer with JSON only, in this schema:
            """ + JSON_SCHEMA;

    private final Router router;
    private final FactExtractor fallback;

    public ModelFactExtractor(Router router, FactExtractor fallback) {
        this.router = router;
        this.fallback = fallback;
    }

    @Override
    public List<FactCandidate> extract(String userId, String text) {
        if (text == null || text.isBlank() || router.offline()) {
            return fallback.extract(userId, text);
        }
        try {
            String answer = router.chat(new ChatRequest(List.of(ChatMessage.system(PROMPT), ChatMessage.user(text)),
                    List.of(), null, 0.0, 800, true), new CallContext(userId, null)).response().text();
            return parse(answer);
        } catch (RuntimeException e) {
            return fallback.extract(userId, text);
        }
    }

    /** The facts of a model's answer; throws if the answer does not fit the schema. */
    static List<FactCandidate> parse(String answer) {
        JsonNode facts = Json.parse(Json.unfenced(answer)).path("facts");
        if (!facts.isArray()) {
            throw new IllegalArgumentException("no facts array in the answer");
        }
        List<FactCandidate> found = new ArrayList<>();
        for (JsonNode f : facts) {
            String subject = f.path("subject").asText("").strip();
            String attribute = f.path("attribute").asText("").strip();
            String value = f.path("value").asText("").strip();
            if (subject.isEmpty() || attribute.isEmpty() || value.isEmpty()) {
                continue;
            }
            double confidence = f.path("confidence").asDouble(FactCandidate.IMPLIED) >= 0.75
                    ? FactCandidate.STATED : FactCandidate.IMPLIED;
            Category category;
            try {
                category = Category.fromId(f.path("category").asText("other"));
            } catch (IllegalArgumentException unknown) {
                category = Category.OTHER;
            }
            found.add(new FactCandidate(subject, attribute, value, category, confidence,
                    f.path("update").asBoolean(false)));
        }
        return found;
    }
}
