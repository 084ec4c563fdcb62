package dev.steward.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.config.Role;
import dev.steward.support.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The rest of the web UI in real headless Chromium against a real server: logging in and out, roles, the memory page,
 * a phone-sized screen and the keyboard alone.
 */
class WebUiTest extends BrowserTest {
    @Test
    void aWrongPasswordIsRefusedWithTheServersMessageAndHint(Chromium.Tab tab) {
        Page page = tab.page;
        String name = newUser(Role.STANDARD);
        tab.expectError("401 POST " + server.url() + "api/auth/login");
        tab.expectError("status of 401");
        page.navigate(server.url());
        page.getByLabel("Name").fill(name);
        page.getByLabel("Password").fill("not the password");
        page.getByLabel("Password").press("Enter");
        Locator problem = page.locator(".login-form .error-box");
        assertThat(problem).containsText("wrong user name or password");
        assertThat(problem.locator(".hint")).containsText("steward users passwd");
    }

    @Test
    void whenTheSessionEndsThePageAsksToLogInAgain(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        tab.context.clearCookies();
        tab.expectError("status of 401");
        tab.expectError("401 GET");
        // Whichever call comes first after this (the page may still be loading its own) meets the ended session.
        page.evaluate("() => { location.hash = '#/memory'; }");
        assertThat(page.getByLabel("Name")).isVisible();
        assertThat(page.locator("#notices")).containsText("Your session has ended");
    }

    @Test
    void eachRoleSeesThePagesItMayUseAndAnAdministratorChangesTheSettings(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.ADMIN));
        goTo(page, "Settings");
        Locator mode = page.getByLabel("Mode");
        assertThat(mode).hasValue("cloud");
        mode.selectOption("hybrid");
        page.getByLabel("Everyone together: daily limit in dollars").fill("7.5");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save to steward.yaml")).click();
        assertThat(page.locator(".saved")).containsText("restart steward serve");
        assertThat(readString(server.settingsFile)).contains("mode: hybrid").contains("daily: 7.5");
        tab.screenshot("pages/settings");
        logOut(page);
        logIn(page, newUser(Role.STANDARD));
        assertThat(page.locator(".tabs a[data-page=approvals]")).isVisible();
        assertThat(page.locator(".tabs a[data-page=settings]")).hasCount(0);
        logOut(page);
        logIn(page, newUser(Role.LIMITED)); // chat only, no tools: nothing to approve
        assertThat(page.locator(".tabs a[data-page=chat]")).isVisible();
        assertThat(page.locator(".tabs a[data-page=approvals], .tabs a[data-page=settings]")).hasCount(0);
    }

    @Test
    void theMemoryPageSearchesEditsForgetsExportsAndSettlesContradictions(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        goTo(page, "Memory");
        Locator remember = page.getByLabel("Something to remember");
        remember.fill("our CFO is Sarah Lee");
        remember.press("Enter");
        assertThat(fact(page, "Sarah Lee")).isVisible();
        remember.fill("our office is in Berlin");
        remember.press("Enter");
        assertThat(fact(page, "Berlin")).isVisible();
        remember.fill("Sarah Lee (sarah@acme.com) reports to Ann Roe");
        remember.press("Enter");
        Locator sarah = page.locator(".entities .entity[data-entity='Sarah Lee']");
        assertThat(sarah).containsText("sarah@acme.com");
        assertThat(sarah).containsText("reports to Ann Roe");
        assertThat(sarah).containsText("CFO");

        page.getByLabel("Search memory").fill("office");
        page.getByLabel("Search memory").press("Enter");
        assertThat(page.locator(".fact")).hasCount(1);
        page.getByLabel("Search memory").fill("");
        page.getByLabel("Search memory").press("Enter");
        assertThat(page.locator(".fact")).hasCount(4);

        fact(page, "Berlin").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Edit us office")).click();
        Locator value = page.getByLabel("New value for us office");
        value.fill("Hamburg");
        value.press("Enter");
        assertThat(fact(page, "Hamburg")).isVisible();
        assertThat(fact(page, "Berlin")).hasCount(0);

        remember.fill("our CFO is Tom Baker");
        remember.press("Enter");
        Locator contradiction = page.locator(".contradictions .card");
        assertThat(contradiction).containsText("Sarah Lee");
        tab.screenshot("pages/memory");
        contradiction.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Keep the new: Tom Baker")).click();
        assertThat(fact(page, "Tom Baker")).isVisible();
        assertThat(page.locator(".contradictions")).isHidden();

        fact(page, "Hamburg").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Forget us office")).click();
        page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Confirm forgetting"))
                .getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Forget")).click();
        assertThat(fact(page, "Hamburg")).hasCount(0);

        var download = page.waitForDownload(() -> page.getByRole(AriaRole.LINK,
                new Page.GetByRoleOptions().setName("JSON")).click());
        assertThat(download.suggestedFilename()).isEqualTo("steward-memory.json");
        assertThat(Json.parse(readString(download.path())).toString()).contains("Tom Baker").doesNotContain("Hamburg");
    }

    @Test
    void itIsUsableOnAPhoneSizedScreen(Chromium.Tab tab) {
        Page page = tab.page;
        page.setViewportSize(390, 844);
        logIn(page, newUser(Role.STANDARD));
        model.thenAnswer("Short and sweet.");
        send(page, "Hello from my phone");
        assertThat(page.locator(".task .answer")).hasText("Short and sweet.");
        assertThat(page.locator("#conversations")).isHidden();
        tab.screenshot("pages/phone-chat");
        Locator history = page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("History"));
        history.click();
        assertThat(page.locator("#conversations")).containsText("Hello from my phone");
        history.click(); // still there, above the drawer, to close it
        assertThat(page.locator("#conversations")).isHidden();
        page.locator(".active-panel summary").click();
        var popover = page.locator(".active-panel .popover").boundingBox();
        assertThat(popover.x).isGreaterThanOrEqualTo(0);
        assertThat(popover.x + popover.width).isLessThanOrEqualTo(390);
        page.locator(".active-panel summary").click();
        for (String name : new String[] {"Chat", "Approvals", "Memory", "Audit", "Usage"}) {
            goTo(page, name);
            assertThat(page.locator("main h1, main .chat").first()).isVisible();
            assertThat((Integer) page.evaluate("() => document.documentElement.scrollWidth"))
                    .as("page width of %s on a 390 px screen", name).isLessThanOrEqualTo(390);
        }
    }

    @Test
    void everythingCanBeDoneFromTheKeyboard(Chromium.Tab tab) {
        Page page = tab.page;
        String name = newUser(Role.STANDARD);
        page.navigate(server.url());
        page.keyboard().type(name); // the name field has the focus
        page.keyboard().press("Tab");
        page.keyboard().type(PASSWORD);
        page.keyboard().press("Enter");

        model.thenAnswer("Two lines received.");
        assertThat(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"))).isFocused();
        page.keyboard().type("first line");
        page.keyboard().press("Shift+Enter");
        page.keyboard().type("second line");
        page.keyboard().press("Enter");
        assertThat(page.locator(".msg.user .text")).hasText("first line\nsecond line");
        assertThat(page.locator(".task .answer")).hasText("Two lines received.");

        goTo(page, "Usage");
        assertThat(page.locator(".stat")).hasCount(4);
        page.reload(); // focus starts at the top of the page again
        assertThat(page.locator(".stat")).hasCount(4);
        page.keyboard().press("Tab");
        Locator skip = page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Skip to content"));
        assertThat(skip).isFocused();
        assertThat(outline(page)).isNotEqualTo("none");
        page.keyboard().press("Tab");
        page.keyboard().press("Tab");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Chat").setExact(true))).isFocused();
        assertThat(outline(page)).isNotEqualTo("none");
        page.keyboard().press("Tab");
        page.keyboard().press("Enter");
        assertThat(page).hasTitle("Approvals · Steward");
    }

    private static String outline(Page page) {
        return (String) page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle");
    }

    private static Locator fact(Page page, String text) {
        return page.locator(".fact").filter(new Locator.FilterOptions().setHasText(text));
    }

    private static String readString(Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
