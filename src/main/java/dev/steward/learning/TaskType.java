package dev.steward.learning;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The kind of work a request asks for, as preferences are kept: a user who wants summaries in bullet points may
 * still want explanations in prose. Decided from the request's words alone, so it works offline and the same way
 * when a preference is learned and when it is applied.
 */
public enum TaskType {
    SUMMARY("summar|tl;?dr|recap|digest|key points|gist"),
    TRANSLATION("translat|in (french|german|spanish|italian|dutch|english|portuguese|japanese|chinese)\\b"),
    EMAIL("\\b(e-?mail|mail|reply to|respond to)\\b"),
    CODE("\\b(code|function|script|class|bug|compile|refactor|unit test|regex|sql)\\b"),
    REPORT("\\b(report|research|compare|analy[sz])"),
    PLAN("\\b(plan|schedule|itinerary|agenda|steps to)\\b"),
    GENERAL("");

    private static final List<TaskType> CHECKED = List.of(SUMMARY, TRANSLATION, CODE, EMAIL, REPORT, PLAN);
    private final Pattern words;

    TaskType(String words) {
        this.words = Pattern.compile(words, Pattern.CASE_INSENSITIVE);
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The first kind whose words the request uses; general when none. */
    public static TaskType of(String request) {
        String text = request == null ? "" : request;
        return CHECKED.stream().filter(t -> t.words.matcher(text).find()).findFirst().orElse(GENERAL);
    }

    public static TaskType parse(String id) {
        for (TaskType t : values()) {
            if (t.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task type \"" + id + "\"; known: summary, translation, email, "
                + "code, report, plan, general");
    }
}
