package dev.steward.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.agent.Intent;
import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.config.Role;
import dev.steward.learning.Findings;
import dev.steward.learning.Rating;
import dev.steward.support.Ids;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Thumbs on chat answers and the Improvements page, in real headless Chromium against a real learning loop. */
class ImprovementsUiTest extends BrowserTest {

    @Test
    void aThumbDownOnAnAnswerIsARatingTheLearningLoopReads(Chromium.Tab tab) {
        Page page = tab.page;
        String name = newUser(Role.STANDARD);
        logIn(page, name);
        model.thenAnswer("The board met, discussed at length, and at even greater length, the budget.");
        send(page, "Give me a recap of the board meeting");
        Locator answer = page.locator(".task .answer").last();
        // The first task of a fresh server on a loaded machine can take a while (as in AutomationUiTest).
        assertThat(answer).containsText("the budget",
                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(60_000));
        Locator rate = page.getByRole(AriaRole.GROUP, new Page.GetByRoleOptions().setName("Rate this answer")).last();

        Locator down = rate.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Bad answer"));
        down.click();
        assertThat(down).hasAttribute("aria-pressed", "true");
        assertThat(rate.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Good answer")))
                .hasAttribute("aria-pressed", "false");
        tab.screenshot("pages/chat-thumbs");

        String userId = server.accounts.findUser(name).orElseThrow().id();
        Findings found = server.learning.analyze();
        assertThat(found.feedback()).filteredOn(f -> f.userId().equals(userId)).singleElement().satisfies(f -> {
            assertThat(f.taskType()).isEqualTo("summary");
            assertThat(f.down()).isEqualTo(1);
            assertThat(f.up()).isZero();
        });
    }

    @Test
    void anAdministratorAnalysesApprovesAndRollsBackAProposal(Chromium.Tab tab) throws Exception {
        Page page = tab.page;
        page.onDialog(dialog -> dialog.accept()); // "approve proposal …?" and "rollback proposal …?"
        String name = newUser(Role.ADMIN);
        String userId = server.accounts.findUser(name).orElseThrow().id();
        for (String minutes : new String[] {"Summarize the board minutes", "Summarize the staff meeting"}) {
            String id = Ids.next();
            long now = System.currentTimeMillis();
            server.tasks.insert(new Task(id, userId, null, TaskStatus.DONE, Intent.QUESTION, minutes,
                    "A long paragraph.", null, null, 0, 0, 0, now, now, now + 10));
            server.learning.rate(id, userId, Rating.DOWN, "too long — use bullet points");
        }
        logIn(page, name);
        goTo(page, "Improvements");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Analyse now")).click();

        Locator card = page.locator("article.proposal").filter(new Locator.FilterOptions()
                .setHasText("summary requests of " + userId));
        assertThat(card.locator(".kind")).hasText("preference");
        assertThat(card.locator(".state")).hasText("pending");
        assertThat(card.locator(".change")).containsText("preferences.yaml — for summary requests of " + userId);
        tab.screenshot("pages/improvements");

        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("approve")).click();
        assertThat(card.locator(".state")).hasText("applied");
        assertThat(Files.readString(home.resolve("preferences.yaml"))).contains(userId);

        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("rollback")).click();
        assertThat(card.locator(".state")).hasText("rolled back");
        assertThat(server.learning.history(5).getFirst().message()).startsWith("Roll back proposal");
    }

    @Test
    void aStandardUserHasNoImprovementsPage(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Pages"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Improvements"))).hasCount(0);
    }
}
