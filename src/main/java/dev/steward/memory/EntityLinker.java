package dev.steward.memory;

import dev.steward.support.Ids;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entities and relations that facts name: decides, once for each stored fact, which entities it links and
 * which relation it states, and resolves references ("my manager", "Acme") back to names.
 */
final class EntityLinker {
    private static final Pattern REFERENCE = Pattern.compile("\\b(my|our|the)\\s+([\\p{L}-]+(?:\\s+[\\p{L}-]+){0,3})",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COMPANY_SUFFIX = Pattern.compile(
            "\\s+(corp\\.?|corporation|inc\\.?|ltd\\.?|llc|gmbh|ag|sa|plc|co\\.?)$", Pattern.CASE_INSENSITIVE);

    private final MemoryStore store;
    private final Clock clock;

    EntityLinker(MemoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Links a newly stored fact: its subject, the entity its value names, and for people whom they work for. */
    void link(String userId, Fact f) {
        String subject = MemoryStore.key(f.subject());
        String attribute = MemoryStore.key(f.attribute());
        long now = clock.millis();
        if (!subject.equals(Fact.USER) && !subject.equals(Fact.US)) {
            entity(userId, f.subject(), typeOf(f.category()));
        }
        if (attribute.equals("company") || attribute.equals("employer")) {
            Entity company = entity(userId, f.value(), "company");
            Matcher suffix = COMPANY_SUFFIX.matcher(f.value());
            if (suffix.find() && suffix.start() > 0) {
                store.addAlias(userId, company.id(), f.value().substring(0, suffix.start()));
            }
        } else if (attribute.equals("team")) {
            entity(userId, f.value(), "team");
        } else if (attribute.equals("uses")) {
            entity(userId, f.value(), "tool");
        } else if (attribute.equals("working on") || f.category() == Category.PROJECTS) {
            entity(userId, f.value(), "project");
        } else if (f.category() == Category.PEOPLE && looksLikeName(f.value())
                && (subject.equals(Fact.US) || attribute.equals("manager") || attribute.equals("boss"))) {
            Entity person = entity(userId, f.value(), "person");
            String relation = subject.equals(Fact.US) ? "works_for" : "manages";
            currentValue(userId, Fact.USER, "company").ifPresent(company -> {
                Entity employer = entity(userId, company, "company");
                store.closeRelations(userId, person.id(), relation, now);
                store.insertRelation(new Relation(Ids.next(), userId, person.id(), relation, employer.id(), now, null,
                        now));
            });
        }
    }

    /**
     * Resolves references such as "the CFO", "my manager", "the team" or an alias ("Acme") to the names they stand
     * for today.
     */
    List<String> resolve(String userId, String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = REFERENCE.matcher(text);
        while (m.find()) {
            List<String> subjects = m.group(1).equalsIgnoreCase("my") ? List.of(Fact.USER) : List.of(Fact.US, Fact.USER);
            String[] words = m.group(2).split("\\s+");
            found:
            for (int n = Math.min(words.length, 4); n >= 1; n--) {
                String attribute = String.join(" ", Arrays.copyOf(words, n));
                for (String subject : subjects) {
                    Optional<String> value = currentValue(userId, subject, attribute);
                    if (value.isPresent()) {
                        names.add(value.get());
                        break found;
                    }
                }
            }
        }
        for (String term : Terms.of(text)) {
            store.entity(userId, term).ifPresent(e -> names.add(e.name()));
        }
        return List.copyOf(names);
    }

    private Entity entity(String userId, String name, String type) {
        return store.entity(userId, name).orElseGet(() -> {
            Entity e = new Entity(Ids.next(), userId, name.strip(), type, List.of(), clock.millis());
            store.insertEntity(e);
            return e;
        });
    }

    private static String typeOf(Category category) {
        return switch (category) {
            case COMPANY -> "company";
            case PROJECTS -> "project";
            case INTEGRATIONS -> "tool";
            default -> "person";
        };
    }

    private static boolean looksLikeName(String value) {
        return !value.isEmpty() && Character.isUpperCase(value.charAt(0)) && value.split("\\s+").length <= 3;
    }

    private Optional<String> currentValue(String userId, String subject, String attribute) {
        return store.versions(userId, subject, attribute).stream().filter(Fact::current).map(Fact::value).findFirst();
    }
}
