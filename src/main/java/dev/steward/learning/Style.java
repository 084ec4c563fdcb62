package dev.steward.learning;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a user's words about an answer ask for, as an instruction the model can follow: "too long, use bullet points"
 * asks for short answers in bullet points. Only the wishes listed here are understood; a comment that names none is
 * kept as evidence but proposes nothing.
 */
enum Style {
    SHORTER("too long|shorter|more concise|be brief|briefer|less verbose|too wordy|tl;?dr", "Keep the answer short."),
    LONGER("too short|more detail|longer|elaborate|not enough detail", "Give more detail."),
    BULLETS("bullet|bulleted|as a list|in a list", "Use bullet points."),
    PROSE("no bullet|full sentences|in prose|paragraphs", "Write in full sentences, not bullet points."),
    TABLE("as a table|in a table|use a table|tabular", "Use a table where it helps."),
    FORMAL("more formal|too casual|professional tone", "Use a formal, professional tone."),
    CASUAL("too formal|more casual|friendlier|less stiff", "Use a friendly, casual tone."),
    NO_EMOJI("no emoji|without emoji|stop using emoji", "Do not use emoji.");

    private final Pattern words;
    final String instruction;

    Style(String words, String instruction) {
        this.words = Pattern.compile("\\b(" + words + ")", Pattern.CASE_INSENSITIVE);
        this.instruction = instruction;
    }

    /** The wishes a comment (or a correction typed in conversation) expresses, in a stable order. */
    static Set<Style> of(String comment) {
        Set<Style> found = new LinkedHashSet<>();
        if (comment == null) {
            return found;
        }
        for (Style s : values()) {
            if (s.words.matcher(comment).find()) {
                found.add(s);
            }
        }
        // "no bullet points" is a wish for prose, not for bullets.
        if (found.contains(PROSE)) {
            found.remove(BULLETS);
        }
        return found;
    }

    /**
     * A message that only corrects the answer before it ("shorter please", "use bullet points"): short, and about
     * style rather than a new request.
     */
    static boolean isCorrection(String message) {
        if (message == null || message.length() > 80) {
            return false;
        }
        return !of(message).isEmpty() && CORRECTION.matcher(message.strip()).matches();
    }

    private static final Pattern CORRECTION = Pattern.compile(
            "(?i)^(please\\s+|can you\\s+|could you\\s+|make it\\s+|that's\\s+|that is\\s+|too\\s+|no,?\\s+|"
                    + "use\\s+|in\\s+|as\\s+|shorter|longer|more|less|be\\s+|briefer|bullet|without|stop).*");

    static List<String> instructions(Set<Style> styles) {
        return styles.stream().map(s -> s.instruction).toList();
    }
}
