package dev.steward.memory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers questions about people and organisations from the entities, with no model: "who leads our sales team?",
 * "what is Alice's email?", "who is Alice?", "who reports to Alice?", "where does Dave work?". The answer is the
 * facts that say it, so it can be cited; none when the question is not one of these or nothing is known.
 */
final class EntityAnswers {
    private static final Pattern WHO_LEADS = Pattern.compile(
            "^who (?:leads|runs|heads|manages|is in charge of|is (?:the )?head of|is (?:the )?lead of)\\s+"
                    + "(?:our |the |my )?(.+?)$");
    private static final Pattern POSSESSIVE = Pattern.compile("^(?:what|who|where)(?:'s| is| are) (.+?)'s? (.+?)$");
    private static final Pattern WHO_IS = Pattern.compile("^(?:who|what)(?:'s| is) (?!(?:my|our|the|a|an) )(.+?)$");
    private static final Pattern WHO_RELATES = Pattern.compile(
            "^who (works at|works for|reports to|works with) (.+?)$");
    private static final Pattern WHERE_WORKS = Pattern.compile("^where does (.+?) work$");
    private static final Pattern LEADING_ROLE = Pattern.compile("\\b(head|lead|leader|director|vp|manager|chief)\\b");

    private final MemoryStore store;
    private final EntityCards cards;

    EntityAnswers(MemoryStore store, EntityCards cards) {
        this.store = store;
        this.cards = cards;
    }

    List<Fact> answer(String userId, String question) {
        String q = question.strip().toLowerCase(Locale.ROOT).replaceAll("[?!.]+$", "").replaceAll("\\s+", " ")
                .replace('’', '\'');
        Matcher m;
        if ((m = WHO_LEADS.matcher(q)).matches()) {
            return leaders(userId, m.group(1));
        }
        if ((m = WHO_RELATES.matcher(q)).matches()) {
            String relation = m.group(1).equals("reports to") ? "reports_to" : "works_at";
            return incoming(userId, m.group(2), relation);
        }
        if ((m = WHERE_WORKS.matcher(q)).matches()) {
            return attribute(userId, m.group(1), "works at");
        }
        if ((m = POSSESSIVE.matcher(q)).matches()) {
            return attribute(userId, m.group(1), m.group(2));
        }
        if ((m = WHO_IS.matcher(q)).matches()) {
            return cards.find(userId, m.group(1)).map(EntityCard::facts).orElse(List.of());
        }
        return List.of();
    }

    /** Who leads a team: "X leads …" facts, else people whose role is head/lead/director of it. */
    private List<Fact> leaders(String userId, String team) {
        String bare = team.replaceAll("\\s+(team|department|dept)$", "");
        Set<Fact> found = new LinkedHashSet<>();
        for (Fact f : store.facts(userId, false)) {
            String attribute = MemoryStore.key(f.attribute());
            String value = MemoryStore.key(f.value());
            if (attribute.equals("leads") && (value.equals(team) || value.replaceAll("\\s+(team|department|dept)$",
                    "").equals(bare))) {
                found.add(f);
            } else if (f.category() == Category.PEOPLE && LEADING_ROLE.matcher(attribute).find()
                    && containsWord(attribute, bare)) {
                found.add(f); // "Bob is our head of sales"
            } else if ((attribute.equals("role") || attribute.equals("title")) && LEADING_ROLE.matcher(value).find()
                    && containsWord(value, bare)) {
                found.add(f); // "Bob's role is sales director"
            }
        }
        return List.copyOf(found);
    }

    /** The current facts about someone's attribute: "email" finds "email" and "email address". */
    private List<Fact> attribute(String userId, String name, String attribute) {
        Optional<EntityCard> card = cards.find(userId, name);
        if (card.isEmpty()) {
            return List.of();
        }
        String wanted = MemoryStore.key(attribute);
        boolean roleAsked = wanted.matches("role|title|job|position");
        List<Fact> found = new ArrayList<>();
        for (EntityCard.Attribute a : card.get().attributes()) {
            String have = MemoryStore.key(a.name());
            if (have.equals(wanted) || have.startsWith(wanted + " ") || wanted.startsWith(have + " ")
                    || (roleAsked && (have.equals("role") || have.equals("title")))) {
                store.factsById(userId, List.of(a.factId())).forEach(found::add);
            }
        }
        return found;
    }

    /** The facts behind relations of {@code kind} that end at the named entity. */
    private List<Fact> incoming(String userId, String name, String kind) {
        Optional<EntityCard> card = cards.find(userId, name);
        if (card.isEmpty()) {
            return List.of();
        }
        String attribute = kind.equals("reports_to") ? "reports to" : "works at";
        List<Fact> found = new ArrayList<>();
        for (EntityCard.Link link : card.get().relations()) {
            if (!link.outgoing() && link.relation().equals(kind)) {
                store.factsAbout(userId, link.other()).stream()
                        .filter(f -> f.current() && MemoryStore.key(f.attribute()).equals(attribute))
                        .forEach(found::add);
                if (kind.equals("works_at")) {
                    store.facts(userId, false).stream().filter(f -> MemoryStore.key(f.subject()).equals(Fact.US)
                            && f.category() == Category.PEOPLE && f.value().equalsIgnoreCase(link.other()))
                            .forEach(found::add);
                }
            }
        }
        return found.stream().distinct().toList();
    }

    private static boolean containsWord(String text, String word) {
        return Pattern.compile("\\b" + Pattern.quote(word) + "\\b").matcher(text).find();
    }
}
