package dev.steward.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.config.Role;
import dev.steward.rollout.Gates;
import dev.steward.rollout.RolloutPlan;
import dev.steward.router.AliasArbiter;
import dev.steward.router.ChatResponse;
import dev.steward.router.Usage;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Rollouts page in real headless Chromium: the phase along the plan, both arms, and the controls. */
class RolloutsUiTest extends BrowserTest {
    @BeforeAll
    static void aRolloutInItsShadowPhase() {
        server.rollouts.start("ui-canary", "assistant", "test/smart", "test/cheap",
                RolloutPlan.parse("shadow:10,25%:50,100%"), Gates.defaults(), "admin");
        ChatResponse answer = new ChatResponse("the same answer", List.of(), Usage.NONE, "m",
                ChatResponse.FinishReason.STOP);
        server.rollouts.observe(new AliasArbiter.Observed("ui-canary", AliasArbiter.Arm.BASELINE, "test/smart", "u",
                false, 240, 3_000, null, answer, null));
        server.rollouts.observe(new AliasArbiter.Observed("ui-canary", AliasArbiter.Arm.CANDIDATE, "test/cheap", "u",
                true, 180, 0, null, answer, answer));
    }

    @Test
    void anAdministratorSeesThePhaseAndBothArmsAndPausesTheRollout(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.ADMIN));
        goTo(page, "Rollouts");

        assertThat(page.locator("table.rollouts")).containsText("ui-canary");
        assertThat(page.locator(".phases [aria-current=step]")).hasText("shadow:10");
        assertThat(page.locator("table.arms tr[data-arm=baseline]")).containsText("240 ms");
        assertThat(page.locator("table.arms tr[data-arm=candidate]")).containsText("100%");
        assertThat(page.locator(".timeline")).containsText("started: assistant from test/smart to test/cheap");
        tab.screenshot("pages/rollouts");

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("pause")).click();
        assertThat(page.locator(".rollout-detail h2 .state")).hasText("paused");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("resume")).click();
        assertThat(page.locator(".rollout-detail h2 .state")).hasText("running");
    }

    @Test
    void aStandardUserSeesTheRolloutButNoControls(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        goTo(page, "Rollouts");
        assertThat(page.locator("table.arms")).isVisible();
        assertThat(page.locator(".rollout-detail .actions")).hasCount(0);
    }
}
