package dev.steward.research;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** The report as Markdown: findings under their sub-questions, each sentence ending in its citation, then Sources. */
final class ReportWriter {
    private ReportWriter() {}

    static String markdown(String question, List<String> subQuestions, List<Finding> findings, List<Source> sources,
                           Map<String, String> unread, int removed, boolean extractive, LocalDate day) {
        StringBuilder md = new StringBuilder("# ").append(question).append("\n\n");
        md.append("Researched on ").append(day).append(" from ").append(sources.size())
                .append(sources.size() == 1 ? " source" : " sources")
                .append("; every citation was checked against the text of the page it cites.\n");
        if (extractive) {
            md.append("\nThis report is extractive: no model answered, so every finding is a sentence of its source, "
                    + "as written there.\n");
        }
        if (removed > 0) {
            md.append("\n").append(removed).append(removed == 1 ? " claim was" : " claims were")
                    .append(" removed: the passage it quoted is not in the source it cited.\n");
        }
        for (String sub : subQuestions) {
            md.append("\n## ").append(sub).append("\n\n");
            List<Finding> answers = findings.stream().filter(f -> f.subQuestion().equals(sub)).toList();
            if (answers.isEmpty()) {
                md.append("_No source answers this._\n");
            }
            answers.forEach(f -> md.append(cited(f.text(), f.source())).append("\n\n"));
        }
        md.append("\n## Sources\n\n");
        sources.forEach(s -> md.append("[").append(s.n()).append("] ").append(s.title().replace('\n', ' '))
                .append(" — ").append(s.url()).append("\n"));
        if (!unread.isEmpty()) {
            md.append("\n## Not read\n\n");
            unread.forEach((url, why) -> md.append("- ").append(url).append(": ").append(why).append("\n"));
        }
        return md.toString().replaceAll("\n{3,}", "\n\n");
    }

    /** The sentence with [n] at its end, before its closing punctuation: "… in Leeds [1]." */
    static String cited(String sentence, int n) {
        String s = sentence.strip();
        String tag = " [" + n + "]";
        if (!s.isEmpty() && ".!?".indexOf(s.charAt(s.length() - 1)) >= 0) {
            return s.substring(0, s.length() - 1) + tag + s.charAt(s.length() - 1);
        }
        return s + tag + ".";
    }
}
