package dev.steward.support;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs before anything is stored: a sentence that holds a card number (Luhn-checked), a national ID number, a
 * password or secret, an API key or token, or a health detail is left out entirely, and the caller learns what kind
 * of thing was left out so it can tell the user.
 */
public final class PrivacyFilter {
    /** What was kept, and the kinds of sensitive data that were left out (empty if none). */
    public record Filtered(String text, Set<String> removed) {
        public boolean clean() {
            return removed.isEmpty();
        }
    }

    public static final String CARD = "card number";
    public static final String NATIONAL_ID = "national ID number";
    public static final String SECRET = "password or secret";
    public static final String API_KEY = "API key or token";
    public static final String HEALTH = "health detail";

    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?;])\\s+|\\n+");
    private static final Pattern DIGIT_RUN = Pattern.compile("(?<![\\d])\\d(?:[ -]?\\d){12,18}(?![\\d])");
    private static final Pattern SSN = Pattern.compile("(?<!\\d)\\d{3}-\\d{2}-\\d{4}(?!\\d)");
    private static final Pattern NATIONAL_ID_WORDS = Pattern.compile(
            "\\b(ssn|social security( number)?|national (id|insurance)( number)?|passport( number)?|tax id|nino"
                    + "|sin number|id number)\\b.*\\d{6,}|\\b[a-z]{2}\\s?\\d{2}\\s?\\d{2}\\s?\\d{2}\\s?[a-d]\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SECRET_WORDS = Pattern.compile(
            "\\b(password|passwd|passcode|pwd|pin( code)?|secret|2fa code|otp|recovery code|private key|seed phrase)"
                    + "\\b\\s*(is|was|:|=|'s)", Pattern.CASE_INSENSITIVE);
    private static final Pattern API_KEY_SHAPES = Pattern.compile(
            "\\b(sk-[A-Za-z0-9_-]{16,}|sk-ant-[A-Za-z0-9_-]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
                    + "|AKIA[0-9A-Z]{16}|xox[abpr]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{30,}"
                    + "|eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{5,})"
                    + "|-----BEGIN [A-Z ]*PRIVATE KEY-----");
    private static final Pattern API_KEY_WORDS = Pattern.compile(
            "\\b(api[ _-]?key|access[ _-]?token|auth[ _-]?token|bearer|token|client[ _-]?secret)\\b\\s*(is|was|:|=)?\\s*"
                    + "[A-Za-z0-9_\\-./+=]{12,}", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEALTH_WORDS = Pattern.compile(
            "\\b(diagnos(ed|is)|medication|prescri(bed|ption)|my (doctor|therapist|psychiatrist)|therapy|cancer"
                    + "|diabet(es|ic)|hiv|depress(ion|ed)|anxiety disorder|adhd|pregnan(t|cy)|blood pressure"
                    + "|chemotherapy|surgery|illness|disease|allerg(y|ic) to|mental health|rehab)\\b",
            Pattern.CASE_INSENSITIVE);

    /** Keeps the sentences with nothing sensitive in them. */
    public Filtered filter(String text) {
        if (text == null || text.isBlank()) {
            return new Filtered(text == null ? "" : text, Set.of());
        }
        Set<String> removed = new LinkedHashSet<>();
        List<String> kept = new ArrayList<>();
        for (String sentence : SENTENCE_END.split(text.strip())) {
            Set<String> found = sensitive(sentence);
            if (found.isEmpty()) {
                kept.add(sentence);
            } else {
                removed.addAll(found);
            }
        }
        return new Filtered(String.join(" ", kept).strip(), Set.copyOf(removed));
    }

    private static final Pattern SECRET_VALUE = Pattern.compile(
            "(\\b(?:password|passwd|passcode|pwd|pin(?: code)?|secret|2fa code|otp|recovery code)\\b\\s*(?:is|was|:|=|'s)\\s*)"
                    + "(\"[^\"]*\"|\\S+)", Pattern.CASE_INSENSITIVE);
    /** Lower-case words one of which every match of the pattern of the same name holds. */
    private static final List<String> API_KEY_SHAPE_WORDS = List.of("sk-", "gh", "github_pat_", "akia", "xox", "aiza",
            "eyj", "private key");
    private static final List<String> KEY_VALUE_WORDS = List.of("key", "token", "bearer", "secret");
    private static final List<String> SECRET_VALUE_WORDS = List.of("pass", "pwd", "pin", "secret", "code", "otp");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(\\b(?:api[ _-]?key|access[ _-]?token|auth[ _-]?token|bearer|token|client[ _-]?secret)\\b\\s*(?:is|was|:|=)?\\s*)"
                    + "([A-Za-z0-9_\\-./+=]{12,})", Pattern.CASE_INSENSITIVE);

    /**
     * The text with identifiers and secrets replaced where they stand ("my card is [card number removed]"), for
     * records that must keep the rest of the message, such as a task's input. Health details have no span to cut:
     * they stay; memory leaves such sentences out with {@link #filter}.
     */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher digits = DIGIT_RUN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (digits.find()) {
            digits.appendReplacement(out, luhn(digits.group().replaceAll("[ -]", ""))
                    ? "[" + CARD + " removed]" : Matcher.quoteReplacement(digits.group()));
        }
        digits.appendTail(out);
        String redacted = SSN.matcher(out).replaceAll("[" + NATIONAL_ID + " removed]");
        // Each pattern below needs one of its words; most texts have none, and a run record redacts every text at
        // each checkpoint (14 % of a chat's Java time in a profile, docs/benchmarks.md). Lower case only widens it.
        String lower = redacted.toLowerCase(Locale.ROOT);
        if (containsAny(lower, API_KEY_SHAPE_WORDS)) {
            redacted = API_KEY_SHAPES.matcher(redacted).replaceAll("[" + API_KEY + " removed]");
        }
        if (containsAny(lower, KEY_VALUE_WORDS)) {
            redacted = KEY_VALUE.matcher(redacted).replaceAll("$1[" + API_KEY + " removed]");
        }
        if (containsAny(lower, SECRET_VALUE_WORDS)) {
            redacted = SECRET_VALUE.matcher(redacted).replaceAll("$1[" + SECRET + " removed]");
        }
        if (NATIONAL_ID_WORDS.matcher(redacted).find()) {
            redacted = redacted.replaceAll("\\d[\\d -]{4,}\\d", "[" + NATIONAL_ID + " removed]");
        }
        return redacted;
    }

    /** The kinds of sensitive data in a piece of text. */
    public Set<String> sensitive(String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher digits = DIGIT_RUN.matcher(text);
        while (digits.find()) {
            if (luhn(digits.group().replaceAll("[ -]", ""))) {
                found.add(CARD);
            }
        }
        if (SSN.matcher(text).find() || NATIONAL_ID_WORDS.matcher(text).find()) {
            found.add(NATIONAL_ID);
        }
        if (SECRET_WORDS.matcher(text).find()) {
            found.add(SECRET);
        }
        if (API_KEY_SHAPES.matcher(text).find() || API_KEY_WORDS.matcher(text).find()) {
            found.add(API_KEY);
        }
        if (HEALTH_WORDS.matcher(text).find()) {
            found.add(HEALTH);
        }
        return found;
    }

    private static boolean containsAny(String text, List<String> words) {
        for (String word : words) {
            if (text.contains(word)) {
                return true;
            }
        }
        return false;
    }

    static boolean luhn(String digits) {
        if (digits.length() < 13 || digits.length() > 19) {
            return false;
        }
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    /** "a card number and a password or secret", for telling the user what was left out. */
    public static String describe(Set<String> removed) {
        List<String> names = removed.stream()
                .map(r -> (r.toLowerCase(Locale.ROOT).startsWith("a") ? "an " : "a ") + r).toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }
}
