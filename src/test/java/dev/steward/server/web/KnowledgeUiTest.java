package dev.steward.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.config.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The knowledge page in real Chromium: add a folder, search it with citations, refresh after an edit, remove. */
class KnowledgeUiTest extends BrowserTest {
    static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    static void search(Page page, String question) {
        page.getByLabel("Search documents").fill(question);
        button(page, "Search").click();
    }

    @Test
    void aUserAddsAFolderSearchesItWithCitationsRefreshesAnEditAndRemovesIt(Chromium.Tab tab) throws Exception {
        Path handbook = Files.createDirectories(home.resolve("workspace/handbook"));
        Path leave = Files.writeString(handbook.resolve("leave.md"), "# Leave\n\n## Paid leave\n\nEveryone gets 27"
                + " days of paid leave a year.\n");
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        goTo(page, "Knowledge");
        assertThat(page.locator(".knowledge-documents .empty")).containsText("No documents yet");

        page.getByLabel("Path to add").fill("handbook");
        page.getByLabel("Watch the folder").check();
        button(page, "Add").click();
        Locator row = page.locator("table.knowledge tbody tr");
        // The first add opens the index and warms the analyzers: on a busy machine that outlasts the usual 5 s.
        assertThat(row).hasCount(1, new LocatorAssertions.HasCountOptions().setTimeout(60_000));
        assertThat(row.locator("td").nth(0)).hasText("Leave");
        assertThat(row.locator("td").nth(1)).containsText("leave.md");
        assertThat(row.locator("td").nth(2)).hasText("1");
        assertThat(row.locator("td").nth(3)).hasText("private");
        assertThat(page.locator(".knowledge-watched")).containsText("handbook");

        search(page, "how many days of paid leave");
        Locator passage = page.locator(".passage").first();
        assertThat(passage.locator(".citation")).hasText("Leave § Leave > Paid leave, #1");
        assertThat(passage.locator("blockquote")).containsText("27 days");
        tab.screenshot("pages/knowledge");

        Files.writeString(leave, "# Leave\n\n## Paid leave\n\nEveryone gets thirty days of paid leave a year.\n");
        button(page, "Refresh").click();
        assertThat(page.locator(".notice", new Page.LocatorOptions().setHasText("1 changed"))).isVisible();
        search(page, "how many days of paid leave");
        assertThat(page.locator(".passage blockquote").first()).containsText("thirty days");

        button(page, "Remove Leave").click();
        assertThat(page.locator(".knowledge-documents .empty")).containsText("No documents yet");
        assertThat(page.locator(".knowledge-watched")).containsText("handbook");
        button(page, "Stop watching " + handbook.toAbsolutePath().normalize()).click();
        assertThat(page.locator(".knowledge-watched")).isHidden();
        search(page, "paid leave");
        assertThat(page.locator(".knowledge-results")).containsText("Nothing in your documents matches that.");
    }

    @Test
    void aWrongPathOrScopeShowsTheErrorWithItsHintAndAddsNothing(Chromium.Tab tab) {
        tab.expectError("400 POST " + server.url() + "api/knowledge");
        tab.expectError("status of 400");
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        goTo(page, "Knowledge");

        page.getByLabel("Path to add").fill("nowhere.md");
        button(page, "Add").click();
        Locator error = page.locator(".knowledge-add-result .error-box");
        assertThat(error).containsText("no file or folder");
        assertThat(error.locator(".hint")).containsText("relative to its workspace");

        page.getByLabel("Scope").fill("team:nope");
        button(page, "Add").click();
        assertThat(error).containsText("no team 'nope'");
        assertThat(error.locator(".hint")).containsText("a team you are in");
        assertThat(page.locator(".knowledge-documents .empty")).containsText("No documents yet");
    }
}
