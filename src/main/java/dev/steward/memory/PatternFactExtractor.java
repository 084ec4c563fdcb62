package dev.steward.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline extractor: explicit statements by pattern ("my company is Acme Corp", "Alice's email is
 * alice@acme.com", "I prefer Vercel", "John is our CFO", "Sarah is our CFO now") at confidence 0.9, hedged or
 * implied ones ("I think…", "I'm working on…", "we've been using…") at 0.6.
 */
public final class PatternFactExtractor implements FactExtractor {
    private static final String NAME = "(\\p{Lu}[\\p{L}.'-]*(?: \\p{Lu}[\\p{L}.'-]*){0,2})";
    private static final String ATTR = "([\\p{L}][\\p{L} -]{0,30}?)";
    private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?;])\\s+|\\n+|,\\s+and\\s+(?=(my|our|i|we)\\b)");
    private static final Pattern REMEMBER = Pattern.compile(
            "^(?:please\\s+)?(?:remember|note|keep in mind|don't forget)(?:\\s+that)?[:\\s]+", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEDGE = Pattern.compile(
            "^(?:i think|i believe|probably|i guess|maybe|apparently)\\s+(?:that\\s+)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern UPDATE = Pattern.compile(
            "\\b(now|new|has replaced|replaced|no longer|anymore|instead|changed to|has changed|moved to|switched to)\\b",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern REPLACED = Pattern.compile(
            "^" + NAME + " (?:has )?replaced " + NAME + " as (?:our |the )?" + ATTR + "$");
    private static final Pattern LED_BY = Pattern.compile(
            "^(?i:our|the|my) " + ATTR + " (?i:is|are) (?i:now )?(?i:led|run|headed|managed) by " + NAME + "$");
    private static final Pattern LEADS = Pattern.compile(
            "^" + NAME + " (?i:now )?(?i:leads|runs|heads|manages|is in charge of) (?:(?i:our|the|my) )?(.+)$");
    private static final Pattern REPORTS_TO = Pattern.compile(
            "^" + NAME + " (?i:now )?(?i:reports to|works under) " + NAME + "$");
    private static final Pattern NAME_WORKS_AT = Pattern.compile(
            "^" + NAME + " (?i:now )?(?i:works|is working) (?i:at|for) (.+)$");
    private static final Pattern ROLE_AT = Pattern.compile(
            "^" + NAME + " is (?i:now )?(?i:the|a|an|our) (?i:new )?" + ATTR + " at (\\p{Lu}.+)$");
    private static final Pattern PARTNER = Pattern.compile(
            "^" + NAME + " (?i:is|are) (?i:now )?(?i:a|an|one of our|our) (?i:new )?(?i:(customer|client|supplier"
                    + "|vendor|partner|investor))s?(?: (?i:of ours))?$");
    private static final Pattern NAME_IS_OUR = Pattern.compile(
            "^" + NAME + " is (?:now )?(?:our|the) (?:new )?" + ATTR + "(?: now)?$");
    private static final Pattern OUR_IS = Pattern.compile(
            "^(?i:our|the) (?i:new )?" + ATTR + " is (?i:now )?(.+?)(?: now)?$");
    private static final Pattern MY_IS = Pattern.compile("^(?i:my) (?i:new )?" + ATTR + " is (?i:now )?(.+?)(?: now)?$");
    private static final Pattern POSSESSIVE_IS = Pattern.compile(
            "^" + NAME + "'s (?i:new )?" + ATTR + " is (?i:now )?(.+?)(?: now)?$");
    private static final Pattern BASED_IN = Pattern.compile(
            "^(?i:(i|we)(?: am| are|'m|'re)? (?:(?:now )?(?:based|located) in|live in|are in|am in)) (\\p{Lu}.+)$");
    private static final Pattern WE_SELL = Pattern.compile("^(?i:(i|we)) (?i:sell|make|build|offer) (.+)$");
    private static final Pattern I_AM_ROLE = Pattern.compile("^(?i:i am|i'm) (?i:the |a |an )" + ATTR + "$");
    private static final Pattern I_PREFER = Pattern.compile(
            "^(?i:i) (?i:really |usually |always )?(?i:prefer|like|love|want) (.+)$");
    private static final Pattern WE_USE = Pattern.compile("^(?i:(i|we)) (?i:use|are using|'re using) (.+)$");
    private static final Pattern WORK_AT = Pattern.compile("^(?i:i work (?:at|for)) (.+)$");
    private static final Pattern I_AM_AT = Pattern.compile("^(?i:i am|i'm) (?i:the |a |an )?" + ATTR + " (?i:at) (.+)$");
    private static final Pattern WORKING_ON = Pattern.compile("^(?i:i am|i'm|we are|we're) (?i:working on) (.+)$");
    private static final Pattern BEEN_USING = Pattern.compile(
            "^(?i:we|i)(?i:'ve| have) (?i:been using|switched to|moved to) (.+)$");

    private static final Set<String> NOT_NAMES = Set.of("it", "this", "that", "he", "she", "they", "there", "here",
            "what", "who", "which", "i", "we", "you", "my", "our", "the", "everyone", "nobody", "someone");
    private static final Map<Category, Pattern> CATEGORY_WORDS = Map.of(
            Category.COMPANY, Pattern.compile("\\b(company|employer|business|organi[sz]ation|org|industry|website"
                    + "|domain|office|headquarters|hq|revenue|customers?|market)\\b"),
            Category.TEAM, Pattern.compile("\\b(team|department|squad|group|colleagues?)\\b"),
            Category.PEOPLE, Pattern.compile("\\b(name|email|phone|birthday|manager|boss|role|title|job|position"
                    + "|c[efotm]o|cio|ciso|vp|president|director|head of .*|lead|founder|owner|assistant|accountant"
                    + "|lawyer|partner|wife|husband|contact)\\b"),
            Category.PROJECTS, Pattern.compile("\\b(project|launch|deadline|roadmap|sprint|milestone|product"
                    + "|working on|release)\\b"),
            Category.PREFERENCES, Pattern.compile("\\b(prefers|favou?rite|timezone|time zone|language|style"
                    + "|likes)\\b"),
            Category.INTEGRATIONS, Pattern.compile("\\b(uses|crm|hosting|cloud|calendar|slack|github|stack|tool"
                    + "|provider|database|email provider|erp|bank)\\b"));
    private static final List<Category> CATEGORY_ORDER = List.of(Category.PREFERENCES, Category.INTEGRATIONS,
            Category.PROJECTS, Category.TEAM, Category.COMPANY, Category.PEOPLE);

    @Override
    public List<FactCandidate> extract(String userId, String text) {
        return extract(text); // explicit statements read the same whoever says them
    }

    /** The facts stated outright in {@code text}. */
    public List<FactCandidate> extract(String text) {
        List<FactCandidate> found = new ArrayList<>();
        if (text == null) {
            return found;
        }
        for (String sentence : SENTENCES.split(text.strip())) {
            String said = REMEMBER.matcher(clean(sentence)).replaceFirst("");
            double confidence = FactCandidate.STATED;
            Matcher hedge = HEDGE.matcher(said);
            if (hedge.find()) {
                said = said.substring(hedge.end());
                confidence = FactCandidate.IMPLIED;
            }
            said = Clauses.asides(clean(said), confidence, found);
            final double sure = confidence;
            for (String statement : Clauses.split(said, piece -> !read(clean(piece), sure).isEmpty())) {
                found.addAll(read(clean(statement), confidence));
            }
        }
        return found;
    }

    /** Whether this message says "remember that …" (then it is kept as a note even if no pattern reads it). */
    public static boolean isRememberRequest(String text) {
        return text != null && REMEMBER.matcher(text.strip()).find();
    }

    /** What follows "remember that". */
    public static String withoutRememberPrefix(String text) {
        return clean(REMEMBER.matcher(text.strip()).replaceFirst(""));
    }

    /** The facts one statement says: none, one, or two ("I'm the CFO at Acme": a role and a company). */
    private static List<FactCandidate> read(String said, double confidence) {
        List<FactCandidate> found = new ArrayList<>();
        if (said.isEmpty()) {
            return found;
        }
        boolean update = UPDATE.matcher(said).find();
        Matcher m;
        if ((m = REPLACED.matcher(said)).matches() && isName(m.group(1))) {
            found.add(candidate(Fact.US, m.group(3), m.group(1), confidence, true));
        } else if ((m = LED_BY.matcher(said)).matches()) {
            found.add(new FactCandidate(m.group(2), "leads", value(m.group(1)).toLowerCase(Locale.ROOT),
                    Category.TEAM, confidence, update));
        } else if ((m = REPORTS_TO.matcher(said)).matches() && isName(m.group(1)) && isName(m.group(2))) {
            found.add(new FactCandidate(m.group(1), "reports to", m.group(2), Category.PEOPLE, confidence, update));
        } else if ((m = NAME_WORKS_AT.matcher(said)).matches() && isName(m.group(1))) {
            found.add(new FactCandidate(m.group(1), "works at", value(m.group(2)), Category.PEOPLE, confidence,
                    update));
        } else if ((m = LEADS.matcher(said)).matches() && isName(m.group(1))) {
            found.add(new FactCandidate(m.group(1), "leads", value(m.group(2)), Category.TEAM, confidence, update));
        } else if ((m = ROLE_AT.matcher(said)).matches() && isName(m.group(1))) {
            found.add(new FactCandidate(m.group(1), "role", attribute(m.group(2)), Category.PEOPLE, confidence,
                    update));
            found.add(new FactCandidate(m.group(1), "works at", value(m.group(3)), Category.PEOPLE, confidence,
                    update));
        } else if ((m = PARTNER.matcher(said)).matches() && isName(m.group(1))) {
            found.add(new FactCandidate(Fact.US, m.group(2).toLowerCase(Locale.ROOT), m.group(1), Category.COMPANY,
                    confidence, false));
        } else if ((m = NAME_IS_OUR.matcher(said)).matches() && isName(m.group(1))) {
            found.add(candidate(Fact.US, m.group(2), m.group(1), confidence, update));
        } else if ((m = OUR_IS.matcher(said)).matches()) {
            found.add(candidate(Fact.US, m.group(1), m.group(2), confidence, update));
        } else if ((m = MY_IS.matcher(said)).matches()) {
            found.add(candidate(Fact.USER, m.group(1), m.group(2), confidence, update));
        } else if ((m = POSSESSIVE_IS.matcher(said)).matches() && isName(m.group(1))) {
            FactCandidate c = candidate(m.group(1), m.group(2), m.group(3), confidence, update);
            found.add(c.category() == Category.OTHER ? withCategory(c, Category.PEOPLE) : c);
        } else if ((m = WORK_AT.matcher(said)).matches()) {
            found.add(new FactCandidate(Fact.USER, "company", value(m.group(1)), Category.COMPANY, confidence, update));
        } else if ((m = I_AM_AT.matcher(said)).matches()) {
            found.add(new FactCandidate(Fact.USER, "role", value(m.group(1)), Category.PEOPLE, confidence, update));
            found.add(new FactCandidate(Fact.USER, "company", value(m.group(2)), Category.COMPANY, confidence, update));
        } else if ((m = I_AM_ROLE.matcher(said)).matches() && categoryOf(m.group(1)) == Category.PEOPLE) {
            found.add(new FactCandidate(Fact.USER, "role", attribute(m.group(1)), Category.PEOPLE, confidence, update));
        } else if ((m = BASED_IN.matcher(said)).matches()) {
            found.add(new FactCandidate(we(m.group(1)), "location", value(m.group(2)), Category.COMPANY, confidence,
                    update));
        } else if ((m = WORKING_ON.matcher(said)).matches()) {
            found.add(new FactCandidate(said.toLowerCase(Locale.ROOT).startsWith("we") ? Fact.US : Fact.USER,
                    "working on", value(m.group(1)), Category.PROJECTS, FactCandidate.IMPLIED, false));
        } else if ((m = BEEN_USING.matcher(said)).matches()) {
            found.add(new FactCandidate(said.toLowerCase(Locale.ROOT).startsWith("we") ? Fact.US : Fact.USER,
                    "uses", value(m.group(1)), Category.INTEGRATIONS, FactCandidate.IMPLIED, false));
        } else if ((m = I_PREFER.matcher(said)).matches()) {
            found.add(new FactCandidate(Fact.USER, "prefers", value(m.group(1)), Category.PREFERENCES, confidence,
                    false));
        } else if ((m = WE_SELL.matcher(said)).matches()) {
            found.add(new FactCandidate(we(m.group(1)), "sells", value(m.group(2)), Category.COMPANY, confidence,
                    false));
        } else if ((m = WE_USE.matcher(said)).matches()) {
            found.add(new FactCandidate(we(m.group(1)), "uses", value(m.group(2)), Category.INTEGRATIONS, confidence,
                    false));
        }
        return found;
    }

    /** "we" is the user's organisation, "I" the user. */
    private static String we(String pronoun) {
        return pronoun.equalsIgnoreCase("we") ? Fact.US : Fact.USER;
    }

    private static FactCandidate candidate(String subject, String attribute, String value, double confidence,
                                           boolean update) {
        String attr = attribute(attribute);
        String v = Clauses.isPlaceAttribute(attr) ? Clauses.place(value(value)) : value(value);
        return new FactCandidate(subject.strip(), attr, v, categoryOf(attr), confidence, update);
    }

    private static FactCandidate withCategory(FactCandidate c, Category category) {
        return new FactCandidate(c.subject(), c.attribute(), c.value(), category, c.confidence(), c.update());
    }

    /** Which category an attribute belongs to; {@link Category#OTHER} if none fits. */
    public static Category categoryOf(String attribute) {
        String a = attribute.toLowerCase(Locale.ROOT);
        for (Category category : CATEGORY_ORDER) {
            if (CATEGORY_WORDS.get(category).matcher(a).find()) {
                return category;
            }
        }
        return Category.OTHER;
    }

    /** Lower case, except acronyms ("CFO") keep their capitals. */
    static String attribute(String said) {
        String a = said.strip().replaceAll("\\s+", " ");
        return a.length() <= 5 && a.equals(a.toUpperCase(Locale.ROOT)) ? a : a.toLowerCase(Locale.ROOT);
    }

    private static String value(String said) {
        String v = said.strip().replaceAll("\\s+(now|instead|anymore)$", "").replaceAll("^[\"'“‘]|[\"'”’]$", "");
        return v.strip();
    }

    private static boolean isName(String word) {
        return !NOT_NAMES.contains(word.toLowerCase(Locale.ROOT));
    }

    private static String clean(String sentence) {
        return sentence.strip().replaceAll("[.!;]+$", "").replaceAll("\\s+", " ").strip();
    }
}
