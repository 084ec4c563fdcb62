package dev.steward.skills;

import dev.steward.router.Usage;
import dev.steward.support.Text;
import java.util.List;
import java.util.Map;

/**
 * What the model is told about skills in its system prompt: the name and description of each enabled, ready skill
 * (a failing one marked as such), within a token budget; the body is loaded only when the model reads a skill.
 */
public final class SkillPrompt {
    /** Tokens the list may take unless told otherwise. */
    public static final int DEFAULT_BUDGET_TOKENS = 800;
    static final int MAX_DESCRIPTION_CHARS = 300;

    private SkillPrompt() {}

    /** The section, or empty when there is no skill to offer. */
    public static String of(Skills skills, int budgetTokens) {
        List<Skill> usable = skills.list().stream().filter(s -> s.unavailable() == null).toList();
        Map<String, SkillStats> stats = skills.counted(); // a skill never run is not failing: absent is as good
        return render(usable, stats, budgetTokens);
    }

    static String render(List<Skill> usable, Map<String, SkillStats> stats, int budgetTokens) {
        if (usable.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("Skills you can use. When one fits the task, load its instructions "
                + "with " + SkillTools.READ + " {\"skill\": NAME} and follow them; run its scripts with "
                + SkillTools.RUN + ".\n");
        long used = Usage.estimateTokens(text.toString());
        int shown = 0;
        for (Skill skill : usable) {
            StringBuilder line = new StringBuilder("- ").append(skill.name()).append(": ")
                    .append(Text.abbreviate(skill.description().replaceAll("\\s+", " ").strip(), MAX_DESCRIPTION_CHARS));
            SkillStats s = stats.get(skill.name());
            if (s != null && s.failing()) {
                line.append(" [keeps failing: ").append(s.successes()).append(" of ").append(s.runs())
                        .append(" runs succeeded").append(s.lastError() == null ? "" : "; last error: "
                                + Text.abbreviate(s.lastError(), 120)).append("]");
            }
            line.append('\n');
            long cost = Usage.estimateTokens(line.toString());
            if (used + cost > budgetTokens) {
                break;
            }
            used += cost;
            text.append(line);
            shown++;
        }
        if (shown < usable.size()) {
            text.append("(").append(usable.size() - shown).append(" more skills are not listed for lack of room)\n");
        }
        return shown == 0 ? "" : text.toString();
    }
}
