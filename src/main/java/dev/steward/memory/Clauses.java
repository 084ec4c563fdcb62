package dev.steward.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one sentence becomes the statements in it: asides in brackets after a name ("Alice (alice@acme.com, CFO)")
 * become facts of their own, and a compound statement is cut at "and" or a comma wherever both sides read as a
 * fact, so "my company is Acme Corp and Alice is our CFO" is two statements while "I prefer tea and coffee" stays one.
 */
final class Clauses {
    private static final Pattern ASIDE = Pattern.compile(
            "(\\p{Lu}[\\p{L}.'-]*(?: \\p{Lu}[\\p{L}.'-]*){0,2})\\s*\\(([^()]{1,120})\\)");
    private static final Pattern JOINT = Pattern.compile("\\s*,?\\s+and\\s+|\\s*,\\s+|\\s*;\\s*");
    static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
    static final Pattern PHONE = Pattern.compile("\\+?\\d[\\d ().-]{5,}\\d");

    private Clauses() {}

    /** The facts said in brackets after a name; {@code found} gets them, the sentence is returned without them. */
    static String asides(String sentence, double confidence, List<FactCandidate> found) {
        Matcher m = ASIDE.matcher(sentence);
        StringBuilder rest = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            for (String item : m.group(2).split("\\s*[,;/]\\s*|\\s+and\\s+")) {
                String said = item.strip();
                if (EMAIL.matcher(said).matches()) {
                    found.add(new FactCandidate(name, "email", said, Category.PEOPLE, confidence, false));
                } else if (PHONE.matcher(said).matches()) {
                    found.add(new FactCandidate(name, "phone", said, Category.PEOPLE, confidence, false));
                } else if (!said.isEmpty() && said.split("\\s+").length <= 4 && Character.isLetter(said.charAt(0))) {
                    found.add(new FactCandidate(name, "role", said.replaceFirst("(?i)^(?:our|the|a|an) ", ""),
                            Category.PEOPLE, confidence, false));
                }
            }
            m.appendReplacement(rest, Matcher.quoteReplacement(name));
        }
        m.appendTail(rest);
        return rest.toString();
    }

    /**
     * The statements of a sentence: cut at every "and", comma or semicolon, then the pieces that do not read as a
     * fact alone are joined back to the one before.
     */
    static List<String> split(String sentence, Function<String, Boolean> readsAsFact) {
        List<String> pieces = new ArrayList<>();
        List<String> joints = new ArrayList<>();
        Matcher m = JOINT.matcher(sentence);
        int start = 0;
        while (m.find()) {
            pieces.add(sentence.substring(start, m.start()));
            joints.add(m.group());
            start = m.end();
        }
        pieces.add(sentence.substring(start));
        List<String> statements = new ArrayList<>();
        String current = pieces.get(0);
        for (int i = 1; i < pieces.size(); i++) {
            String next = pieces.get(i);
            if (readsAsFact.apply(current) && readsAsFact.apply(next)) {
                statements.add(current);
                current = next;
            } else {
                current = current + joints.get(i - 1) + next;
            }
        }
        statements.add(current);
        return statements.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** "in Berlin" → "Berlin": where-values are said with a preposition. */
    static String place(String value) {
        return value.replaceFirst("(?i)^(?:based |located )?(?:in|at) ", "").strip();
    }

    static boolean isPlaceAttribute(String attribute) {
        return switch (attribute.toLowerCase(Locale.ROOT)) {
            case "office", "headquarters", "hq", "location", "city", "based", "home", "address" -> true;
            default -> false;
        };
    }
}
