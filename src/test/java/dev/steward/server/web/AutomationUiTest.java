package dev.steward.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.config.Role;
import org.junit.jupiter.api.Test;

/** The automation page in real Chromium: schedules with their next run, Run now and history; crews; the inbox. */
class AutomationUiTest extends BrowserTest {

    @Test
    void anAdministratorSeesSchedulesRunsOneNowAndReadsItsHistory(Chromium.Tab tab) {
        server.automation.schedules().add("morning-news", "0 7 * * *", "What is in my workspace?", null, "UTC",
                false, "local");
        Page page = tab.page;
        logIn(page, newUser(Role.ADMIN));
        goTo(page, "Automation");
        Locator card = page.locator("[data-schedule=morning-news]");
        assertThat(card).containsText("every day at 07:00 (UTC)");
        assertThat(card.locator(".next-run")).containsText("T07:00:00Z");
        assertThat(card.locator(".last-status")).hasText("never run");
        server.newScript().thenAnswer("Two files: notes.txt and plan.md").thenAnswer("Two files.");
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Run now")).click();
        // The run goes on in the background; the page looks each second until it has ended.
        assertThat(card.locator(".last-status")).hasText("done",
                new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(60_000));
        card.getByText("History").click();
        assertThat(card.locator(".history")).containsText("manual");
        assertThat(page.locator("[data-crew=maintenance]")).containsText("bundled");
        tab.screenshot("pages/automation");
    }

    @Test
    void aStandardUserSeesOnlyTheirInboxAndAQuietBell(Chromium.Tab tab) {
        Page page = tab.page;
        String name = newUser(Role.STANDARD);
        logIn(page, name);
        assertThat(page.locator(".bell .badge")).isHidden();
        goTo(page, "Automation");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Inbox"))).isVisible();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Schedules"))).hasCount(0);
        assertThat(page.locator(".inbox")).containsText("Nothing in your inbox.");
    }
}
