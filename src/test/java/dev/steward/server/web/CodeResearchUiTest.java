package dev.steward.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.config.ActionsConfig;
import dev.steward.config.Role;
import dev.steward.integrations.browser.LocalSite;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Code and Research pages in real Chromium over the real server: a code task whose first version fails its tests
 * in the sandbox and whose second passes, shown as a diff and applied; research over a page on loopback whose report
 * keeps the citation the page supports and drops the one it does not.
 */
class CodeResearchUiTest extends BrowserTest {
    static final String CALC = "def add(a, b):\n    return a + b\n";
    static final String TESTS = "import unittest\nfrom calc import add\n\nclass AddTest(unittest.TestCase):\n"
            + "    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n";
    static LocalSite site;

    /** Hides BrowserTest's: this server's http.fetch may read the site on loopback (127.0.0.1 only). */
    @BeforeAll
    static void startServer() {
        server = new UiServer(home, new ActionsConfig(null, null, null, null, null,
                new ActionsConfig.Http(false, List.of("127.0.0.1"), null, null, null), null, null, null));
        try {
            site = new LocalSite(Map.of("/hours", LocalSite.page("Opening hours",
                    "<p>The shop opens at nine every weekday morning.</p><p>Parking is behind the building.</p>")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopSite() {
        site.close();
    }

    static String files(String body) {
        ObjectNode answer = Json.object();
        answer.putArray("files")
                .add(Json.object().put("path", "calc.py").put("content", CALC + "\n\ndef mul(a, b):\n    return "
                        + body + "\n"))
                .add(Json.object().put("path", "test_calc.py").put("content", TESTS.replace("import add",
                        "import add, mul") + "\n    def test_mul(self):\n        self.assertEqual(mul(3, 4), 12)\n"));
        return Json.write(answer);
    }

    @Test
    void aCodeChangeIsSentBackOnceThenShownAsADiffAndAppliedToTheProject(Chromium.Tab tab) throws Exception {
        Path project = Files.createDirectories(home.resolve("workspace/shop"));
        Files.writeString(project.resolve("calc.py"), CALC);
        Files.writeString(project.resolve("test_calc.py"), TESTS);
        model.thenAnswer("{\"plan\": \"add mul and its test\", \"files\": [\"calc.py\", \"test_calc.py\"]}")
                .thenAnswer(files("a + b"))
                .thenAnswer("{\"verdict\": \"revise\", \"feedback\": \"mul adds instead of multiplying\"}")
                .thenAnswer(files("a * b"))
                .thenAnswer("{\"verdict\": \"pass\", \"feedback\": \"good\"}");
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        goTo(page, "Code");

        page.getByLabel("Project folder").fill("shop");
        page.getByLabel("Change").fill("add a function mul(a, b) that multiplies, with a test");
        page.getByLabel("Test command").fill("python3 -m unittest");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start")).click();

        // Two rounds of tests in the sandbox: on a busy machine that takes longer than an assertion's usual wait.
        assertThat(page.locator(".code-verdict")).hasText("Passed after 2 rounds.",
                new LocatorAssertions.HasTextOptions().setTimeout(90_000));
        Locator runs = page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Test runs"));
        assertThat(runs.locator("li").first()).containsText("Round 1: tests failed (exit 1)");
        assertThat(runs.locator("li").nth(1)).containsText("Round 2: tests passed");
        assertThat(page.getByRole(AriaRole.LIST, new Page.GetByRoleOptions().setName("Progress")))
                .containsText("mul adds instead of multiplying");
        Locator calc = page.locator(".diff-file[data-path='calc.py']");
        assertThat(calc.locator(".diff-stat")).hasText("+4 −0");
        assertThat(calc.locator(".diff-line.add")).containsText(new String[]{"", "", "def mul(a, b):",
                "    return a * b"});
        // The removed line, with its number in the old file and none in the new.
        Locator removed = page.locator(".diff-file[data-path='test_calc.py'] .diff-line.del td");
        assertThat(removed).hasText(new String[]{"2", "", "−from calc import add"});
        tab.screenshot("pages/code");
        assertThat(Files.readString(project.resolve("calc.py"))).isEqualTo(CALC);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply to project")).click();
        assertThat(page.locator("#notices")).containsText("Applied: shop/calc.py, shop/test_calc.py");
        assertThat(Files.readString(project.resolve("calc.py"))).contains("return a * b");
    }

    @Test
    void aCodeRequestForAProjectThatIsNotThereSaysWhichFolderIsMissing(Chromium.Tab tab) {
        tab.expectError("400 POST " + server.url() + "api/code");
        tab.expectError("status of 400");
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        goTo(page, "Code");
        page.getByLabel("Project folder").fill("nowhere");
        page.getByLabel("Change").fill("add a readme");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Start")).click();
        assertThat(page.locator("#notices")).containsText("no project folder 'nowhere' in the workspace");
    }

    @Test
    void researchShowsTheReportWithCheckedCitationsAndSources(Chromium.Tab tab) {
        model.thenAnswer("{\"sub_questions\": [\"When does the shop open?\"]}")
                .thenAnswer("""
                        {"findings": [
                          {"sub_question": "When does the shop open?", "claim": "The shop opens at nine on weekdays.",
                           "quote": "The shop opens at nine every weekday morning.", "source": 1},
                          {"sub_question": "When does the shop open?", "claim": "It is open on Sundays.",
                           "quote": "Open every Sunday from ten.", "source": 1}]}""");
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        goTo(page, "Research");

        page.getByLabel("Question").fill("When does the shop open?");
        page.getByLabel("Sources").fill(site.url("/hours"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Research")).click();

        assertThat(page.getByRole(AriaRole.STATUS)).containsText("1 unverifiable claim removed",
                new LocatorAssertions.ContainsTextOptions().setTimeout(60_000));
        Locator report = page.locator(".research-report");
        assertThat(report).containsText("The shop opens at nine on weekdays [1].");
        assertThat(report).containsText("[1] Opening hours — " + site.url("/hours"));
        assertThat(report).not().containsText("Sundays");
        tab.screenshot("pages/research");
    }

    @Test
    void researchWithNoSourcesAndNoSearchSaysHowToGiveThem(Chromium.Tab tab) {
        tab.expectError("400 POST " + server.url() + "api/research");
        tab.expectError("status of 400");
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        goTo(page, "Research");
        page.getByLabel("Question").fill("When does the shop open?");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Research")).click();
        assertThat(page.locator("#notices")).containsText("no sources to read: give them as \"sources\"");
    }
}
