package dev.steward.skills;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the model is told of skills: names and descriptions within a budget, a failing skill marked as such. */
class SkillPromptTest {
    static Skill skill(String name, String description) {
        return new Skill(name, description, Skill.Origin.HOME, null, Path.of("/x", name), null, Permissions.NONE,
                Skill.Status.READY, true, "h", List.of());
    }

    @Test
    void listsEachSkillWithItsDescriptionAndMarksOneThatKeepsFailing() {
        String text = SkillPrompt.render(List.of(skill("csv-summary", "Profile a CSV.\n  Use for spreadsheets."),
                        skill("flaky", "Does things.")),
                Map.of("flaky", new SkillStats("flaky", 4, 1, 3, 100, "exit code 2: no such file", 1L),
                        "csv-summary", new SkillStats("csv-summary", 5, 5, 0, 80, null, 1L)), 800);
        assertThat(text).contains("skills.read", "skills.run")
                .contains("- csv-summary: Profile a CSV. Use for spreadsheets.\n")
                .contains("- flaky: Does things. [keeps failing: 1 of 4 runs succeeded; last error: exit code 2: "
                        + "no such file]");
    }

    @Test
    void staysWithinItsBudgetAndSaysHowManyAreLeftOut() {
        List<Skill> many = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(skill("skill-" + i, "A fairly long description of what skill number " + i + " does. ".repeat(3)));
        }
        String text = SkillPrompt.render(many, Map.of(), 300);
        assertThat(dev.steward.router.Usage.estimateTokens(text)).isLessThanOrEqualTo(320);
        assertThat(text).contains("- skill-0:").containsPattern("\\(\\d+ more skills are not listed");
        assertThat(SkillPrompt.render(List.of(), Map.of(), 300)).isEmpty();
    }
}
