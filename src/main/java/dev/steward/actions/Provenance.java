package dev.steward.actions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.support.Text;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a call's arguments may have come from: the words of the person the task works for, and the untrusted content
 * that entered the task before the call (results of tools whose spec does not mark them trusted — pages, files,
 * command output, MCP results).
 *
 * <p>The rule the gate applies (assume the model was hijacked by what it read): once untrusted content entered the
 * task, a call whose risk is not {@code read} runs without a person's approval only if the user's own words explain
 * it — every string and number in its arguments (and every key of a nested object) appears in them as a whole token,
 * and at least one such value does. Empty strings are not explained (an empty write is still a write), booleans and
 * values the schema enumerates are choices, not content, so they neither need nor give an explanation; a call made of
 * choices alone is not explained. And a call whose every value the untrusted content spells out as well may have been
 * dictated by it (an injected "write 'Summarise' to report.txt" guesses words of the request): it is not explained
 * either. Matching ignores case, Unicode compatibility forms and runs of white space.
 *
 * @param trusted   what the person said: their request, earlier messages, answers to the agent's questions
 * @param untrusted the untrusted content read so far, oldest first (tool and a snippet)
 * @param read      the text of that untrusted content, as far as it is kept, to see what it could have dictated
 */
public record Provenance(List<String> trusted, List<Untrusted> untrusted, List<String> read) {
    /** A call a person makes directly (CLI, MCP client, approval): nothing untrusted came before it. */
    public static final Provenance NONE = new Provenance(List.of(), List.of(), List.of());

    /** One piece of untrusted content that entered the task: which tool gave it, and how it began. */
    public record Untrusted(String tool, String snippet) {}

    public Provenance {
        trusted = trusted == null ? List.of() : List.copyOf(trusted);
        untrusted = untrusted == null ? List.of() : List.copyOf(untrusted);
        read = read == null ? List.of() : List.copyOf(read);
    }

    public boolean tainted() {
        return !untrusted.isEmpty();
    }

    /**
     * Why a call with these arguments is not explained by the user's words, or empty when it is.
     *
     * @param schema the tool's input schema: its enumerated values are choices, not content
     */
    public Optional<String> unexplained(JsonNode schema, JsonNode arguments) {
        String said = normalize(String.join("\n", trusted));
        List<String> missing = new ArrayList<>();
        List<String> explained = new ArrayList<>();
        if (arguments != null && arguments.isObject()) {
            for (Map.Entry<String, JsonNode> field : arguments.properties()) {
                JsonNode property = schema == null ? null : schema.path("properties").get(field.getKey());
                if (property == null && !appears(said, field.getKey())) {
                    missing.add("the argument name '" + field.getKey() + "'");
                }
                if (property != null && isEnumerated(property, field.getValue())) {
                    continue;
                }
                check(said, field.getKey(), field.getValue(), missing, explained);
            }
        }
        if (!missing.isEmpty()) {
            return Optional.of(String.join(", ", missing.subList(0, Math.min(3, missing.size())))
                    + (missing.size() > 3 ? " and " + (missing.size() - 3) + " more" : "")
                    + (missing.size() == 1 ? " is" : " are") + " not in your request");
        }
        if (explained.isEmpty()) {
            return Optional.of("nothing in its arguments comes from your request");
        }
        String content = normalize(String.join("\n", read));
        if (!content.isEmpty() && explained.stream().allMatch(value -> appears(content, value))) {
            return Optional.of("the untrusted content spells out every value of it, so it may have dictated the call");
        }
        return Optional.empty();
    }

    /** Sorts the values under {@code node} into those the user's words explain and those they do not. */
    private static void check(String said, String name, JsonNode node, List<String> missing, List<String> explained) {
        if (node == null || node.isNull() || node.isBoolean()) {
            return;
        }
        if (node.isTextual() || node.isNumber()) {
            String value = node.asText();
            if (!value.isBlank() && appears(said, value)) {
                explained.add(value);
            } else {
                missing.add(value.isBlank() ? "the empty " + name : name + " '" + Text.abbreviate(value, 60) + "'");
            }
            return;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (appears(said, field.getKey())) {
                    explained.add(field.getKey());
                } else {
                    missing.add("the key '" + Text.abbreviate(field.getKey(), 60) + "' in " + name);
                }
                check(said, name + "." + field.getKey(), field.getValue(), missing, explained);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                check(said, name, item, missing, explained);
            }
        }
    }

    private static boolean isEnumerated(JsonNode property, JsonNode value) {
        JsonNode options = property.get("enum");
        if (options == null || !options.isArray() || !value.isValueNode()) {
            return false;
        }
        for (JsonNode option : options) {
            if (option.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code value} occurs in {@code said} as a whole token: not as part of a longer word or number. */
    static boolean appears(String said, String value) {
        String wanted = normalize(value);
        said = said == null ? "" : said;
        if (wanted.isEmpty()) {
            return false;
        }
        for (int at = said.indexOf(wanted); at >= 0; at = said.indexOf(wanted, at + 1)) {
            int end = at + wanted.length();
            boolean startsClean = at == 0 || !wordChar(wanted.charAt(0)) || !wordChar(said.charAt(at - 1));
            boolean endsClean = end == said.length() || !wordChar(wanted.charAt(wanted.length() - 1))
                    || !wordChar(said.charAt(end));
            if (startsClean && endsClean) {
                return true;
            }
        }
        return false;
    }

    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static String normalize(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    }

    /** A short account of what came before, for an approval card: "http.fetch: “Ignore previous…”; files.read: …". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Untrusted u : untrusted) {
            parts.add(u.tool() + ": \u201c" + Text.abbreviate(u.snippet().replaceAll("\\s+", " ").strip(), 80) + "\u201d");
        }
        return String.join("; ", parts);
    }
}
