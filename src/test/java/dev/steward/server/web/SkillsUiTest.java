package dev.steward.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.config.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The skills page in real Chromium: the list with success rates, a skill's SKILL.md rendered, a run, enable/disable. */
class SkillsUiTest extends BrowserTest {
    static Locator card(Page page, String name) {
        return page.locator(".skill[data-skill=" + name + "]");
    }

    static Locator button(Locator in, String name) {
        return in.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
    }

    @Test
    void aUserReadsASkillRunsItsScriptAndSeesTheSuccessRate(Chromium.Tab tab) throws Exception {
        Path workspace = home.resolve("workspace");
        Files.createDirectories(workspace);
        Files.writeString(workspace.resolve("stock.csv"), "item,count\nflour,12\nsugar,4\n");
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        goTo(page, "Skills");
        Locator csv = card(page, "csv-summary");
        assertThat(csv).containsText("Summarise a CSV or TSV file");
        assertThat(csv.locator(".rate")).hasText("never run");
        assertThat(button(csv, "Disable")).hasCount(0);

        button(csv, "Open").click();
        assertThat(csv.locator(".skill-body h1")).hasText("CSV summary");
        csv.getByLabel("Arguments").fill("stock.csv");
        button(csv, "Run").click();
        assertThat(csv.locator(".stdout")).containsText("stock.csv: 2 rows x 2 columns");
        tab.screenshot("pages/skills");

        page.reload();
        assertThat(card(page, "csv-summary").locator(".rate")).containsText("1 of 1 runs succeeded");
    }

    @Test
    void anAdministratorDisablesAndEnablesASkill(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.ADMIN));
        goTo(page, "Skills");
        Locator toc = card(page, "markdown-toc");
        button(toc, "Disable").click();
        assertThat(card(page, "markdown-toc").locator(".status")).hasText("disabled");
        button(card(page, "markdown-toc"), "Enable").click();
        assertThat(card(page, "markdown-toc").locator(".status")).hasText("ready");
    }
}
