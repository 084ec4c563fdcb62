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
 * which relations it states, and resolves references ("my manager", "Acme") back to names. "We" and "our" stand for
 * the user's company once it is known; until then a fact about "us" links only its own entities, and naming the
 * company later links them all.
 */
final class EntityLinker {
    private static final Pattern REFERENCE = Pattern.compile("\\b(my|our|the)\\s+([\\p{L}-]+(?:\\s+[\\p{L}-]+){0,3})",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern COMPANY_SUFFIX = Pattern.compile(
            "\\s+(corp\\.?|corporation|inc\\.?|ltd\\.?|llc|gmbh|ag|sa|plc|co\\.?)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern TEAM_WORDS = Pattern.compile(
            "\\b(team|department|dept|squad|group|sales|marketing|engineering|support|finance|operations|ops|hr"
                    + "|legal|design|product|research|it)\\b", Pattern.CASE_INSENSITIVE);
    /** Organisations related to the user's company by the attribute of a fact about "us". */
    private static final Set<String> PARTNERS = Set.of("customer", "client", "supplier", "vendor", "partner",
            "investor");
    private static final Set<String> COMPANY = Set.of("company", "employer");
    /** Attributes of a fact about someone that make them a person. */
    private static final Set<String> PERSONAL = Set.of("email", "phone", "role", "title", "works at", "reports to",
            "leads", "birthday", "manager");

    private final MemoryStore store;
    private final Clock clock;

    EntityLinker(MemoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Links a newly stored fact: its subject, the entity its value names, and the relation it states. */
    void link(String userId, Fact f) {
        String subject = MemoryStore.key(f.subject());
        String attribute = MemoryStore.key(f.attribute());
        boolean aboutUs = subject.equals(Fact.US);
        boolean aboutUser = subject.equals(Fact.USER);
        Entity about = aboutUs || aboutUser ? null : entity(userId, f.subject(),
                PERSONAL.contains(attribute) ? "person" : typeOf(f.category()));
        switch (attribute) {
            case "company", "employer" -> {
                Entity company = company(userId, f.value());
                if (aboutUser || aboutUs) {
                    // the user's company is who "we" are: what was said about "us" links to it now
                    store.facts(userId, false).stream().filter(g -> MemoryStore.key(g.subject()).equals(Fact.US)
                                    && !COMPANY.contains(MemoryStore.key(g.attribute())))
                            .forEach(g -> link(userId, g));
                } else if (about != null) {
                    relate(userId, about, "works_at", company, null, true);
                }
            }
            case "works at" -> {
                if (about != null) {
                    relate(userId, about, "works_at", company(userId, f.value()), null, true);
                }
            }
            case "role", "title", "position" -> {
                if (about != null) {
                    employer(userId, about).ifPresent(c -> relate(userId, about, "role_at", c, f.value(), true));
                }
            }
            case "reports to", "manager", "boss" -> {
                if (about != null && looksLikeName(f.value())) {
                    relate(userId, about, "reports_to", entity(userId, f.value(), "person"), null, true);
                } else if (looksLikeName(f.value())) {
                    entity(userId, f.value(), "person");
                }
            }
            case "leads" -> {
                if (about != null) {
                    String type = TEAM_WORDS.matcher(f.value()).find() ? "team" : "project";
                    relate(userId, about, "leads", entity(userId, f.value(), type), null, false);
                }
            }
            case "team" -> entity(userId, f.value(), "team");
            case "uses" -> fromUs(userId, aboutUs, "uses", entity(userId, f.value(), "tool"));
            case "sells", "product", "products" -> fromUs(userId, aboutUs, "sells", entity(userId, f.value(), "product"));
            case "location", "office", "headquarters", "hq", "city" ->
                    fromUs(userId, aboutUs, "located_in", entity(userId, f.value(), "place"));
            case "working on", "project" -> fromUs(userId, aboutUs, "works_on", entity(userId, f.value(), "project"));
            default -> {
                if (aboutUs && PARTNERS.contains(attribute)) {
                    Entity partner = company(userId, f.value());
                    ourCompany(userId).ifPresent(c -> relate(userId, partner, attribute + "_of", c, null, false));
                } else if (f.category() == Category.PROJECTS) {
                    entity(userId, f.value(), "project");
                } else if (f.category() == Category.PEOPLE && looksLikeName(f.value()) && (aboutUs || aboutUser)) {
                    // "Alice is our CFO": Alice holds that role at the company; "my accountant is Bob"
                    Entity person = entity(userId, f.value(), "person");
                    if (aboutUs) {
                        ourCompany(userId).ifPresent(c -> {
                            relate(userId, person, "works_at", c, null, true);
                            relate(userId, person, "role_at", c, f.attribute(), false);
                        });
                    }
                }
            }
        }
    }

    /** A fact's version was closed: the role it gave someone ends with it. */
    void unlink(String userId, Fact closed) {
        if (!MemoryStore.key(closed.subject()).equals(Fact.US) || closed.category() != Category.PEOPLE) {
            return;
        }
        store.entity(userId, closed.value()).ifPresent(person -> store.relations(userId).stream()
                .filter(r -> r.current() && r.fromEntity().equals(person.id()) && r.relation().equals("role_at")
                        && closed.attribute().equalsIgnoreCase(r.detail()))
                .forEach(r -> store.closeRelation(userId, r.id(), clock.millis())));
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
        names.addAll(store.entityNames(userId, Terms.of(text)));
        return List.copyOf(names);
    }

    /** The user's company, as an entity: who "we" are. */
    Optional<Entity> ourCompany(String userId) {
        return currentValue(userId, Fact.USER, "company").or(() -> currentValue(userId, Fact.US, "company"))
                .or(() -> currentValue(userId, Fact.USER, "employer")).map(name -> company(userId, name));
    }

    /** Where a person works: their own works_at, else the user's company if they hold a role there. */
    private Optional<Entity> employer(String userId, Entity person) {
        Optional<String> own = store.relations(userId).stream()
                .filter(r -> r.current() && r.fromEntity().equals(person.id()) && r.relation().equals("works_at"))
                .map(Relation::toEntity).findFirst();
        if (own.isPresent()) {
            return store.entities(userId).stream().filter(e -> e.id().equals(own.get())).findFirst();
        }
        return ourCompany(userId);
    }

    private void fromUs(String userId, boolean aboutUs, String relation, Entity to) {
        if (aboutUs) {
            ourCompany(userId).ifPresent(c -> relate(userId, c, relation, to, null, false));
        }
    }

    /**
     * States a relation unless it already holds; a relation that holds one value at a time ({@code single}: one
     * employer, one manager) closes the one before.
     */
    private void relate(String userId, Entity from, String relation, Entity to, String detail, boolean single) {
        long now = clock.millis();
        List<Relation> current = store.relations(userId).stream()
                .filter(r -> r.current() && r.fromEntity().equals(from.id()) && r.relation().equals(relation))
                .toList();
        boolean holds = current.stream().anyMatch(r -> r.toEntity().equals(to.id())
                && (detail == null ? r.detail() == null : detail.equalsIgnoreCase(r.detail())));
        if (holds || from.id().equals(to.id())) {
            return;
        }
        if (single) {
            current.forEach(r -> store.closeRelation(userId, r.id(), now));
        }
        store.insertRelation(new Relation(Ids.next(), userId, from.id(), relation, to.id(), now, null, now, detail));
    }

    private Entity company(String userId, String name) {
        Entity company = entity(userId, name, "company");
        Matcher suffix = COMPANY_SUFFIX.matcher(name.strip());
        if (suffix.find() && suffix.start() > 0) {
            store.addAlias(userId, company.id(), name.strip().substring(0, suffix.start()));
        }
        return company;
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
            case TEAM -> "team";
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
