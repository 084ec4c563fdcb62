package dev.steward.app.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.agent.Intent;
import dev.steward.agent.Task;
import dev.steward.agent.TaskStatus;
import dev.steward.app.server.Accounts.Role;
import dev.steward.router.RamTempDir;
import dev.steward.router.ScriptedModel;
import dev.steward.router.ToolCall;
import dev.steward.router.Usage;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in real headless Chromium against a real server: what a person sees and does, end to end. Every test
 * signs in as a new user, so tests do not see each other's conversations, memory or approvals.
 */
@ExtendWith(Chromium.class)
class WebUiTest {
    private static final String PASSWORD = "correct horse battery";
    private static final AtomicInteger USERS = new AtomicInteger();

    @TempDir(factory = RamTempDir.class)
    static Path home;
    static UiServer server;

    @BeforeAll
    static void start() {
        server = new UiServer(home);
    }

    private ScriptedModel model;

    @BeforeEach
    void newScript() {
        model = server.newScript();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aNewUserLogsInChatsApprovesAnActionAndFindsItInTheAuditLogMemoryAndDashboard(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));

        // A job with a paid action: the answer streams in, the Employee speaks, the approval says what and how much.
        textMessage("+15550100", "Lunch is at noon", new Usage(2_000, 500))
                .thenAnswer("I asked to text **Sam**; it waits for your approval.", new Usage(12_000, 3_000));
        send(page, "Text Sam that lunch is at noon");
        Locator task = page.locator(".task").last();
        assertThat(task.locator(".msg.role-employee .answer strong")).hasText("Sam");
        assertThat(task.locator(".msg.role-employee .who .name").first()).hasText("Employee");
        assertThat(task.locator(".activity .tool .tool-name")).hasText("sms.send");
        Locator approval = task.locator(".card.approval");
        assertThat(approval.locator(".price")).containsText("costs $0.0500");
        tab.screenshot("pages/chat-approval");
        approval.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();
        assertThat(approval.locator(".decision")).containsText("Approved");
        await().until(() -> server.smsSent.size() == 1);
        assertThat(server.smsSent.getFirst().path("to").asText()).isEqualTo("+15550100");

        // Something said in the chat is remembered, and the memory page shows it.
        model.thenAnswer("Noted: Sarah Lee is your CFO.", new Usage(1_000, 200));
        send(page, "Remember that our CFO is Sarah Lee");
        assertThat(page.locator(".task").last().locator(".answer")).containsText("Noted");
        goTo(page, "Memory");
        assertThat(page.locator(".fact").filter(new Locator.FilterOptions().setHasText("Sarah Lee"))).isVisible();

        // The approved action is in the audit log, whose chain holds.
        goTo(page, "Audit");
        assertThat(page.locator("table.audit tbody tr").filter(new Locator.FilterOptions().setHasText("sms.send"))
                .first()).containsText("(you)");
        assertThat(page.locator(".chain .ok")).isVisible();

        // The dashboard shows what the three model calls cost: (2000 + 12000 + 1000) in at $1/M, (500 + 3000 + 200)
        // out at $2/M = $0.0224; the global budget gauge; the charts.
        goTo(page, "Usage");
        assertThat(page.locator("[data-stat=total-cost] .stat-value")).hasText("$0.0224");
        assertThat(page.locator("[data-stat=total-calls] .stat-value")).hasText("3");
        assertThat(page.locator(".gauge")).containsText("of $5.00");
        assertThat(page.locator(".chart canvas")).hasCount(3);
        tab.screenshot("pages/usage");
    }

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
    void answersAreRenderedAsMarkdownSanitisedAndHighlighted(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        model.thenAnswer("""
                Here is **bold**, a [link](https://example.com), a [trap](javascript:alert(1)) and code:

                ```java
                int answer = 42;
                ```

                <img src="x" onerror="window.pwned = true"><script>window.pwned = true</script>
                <b style="color: red" onclick="window.pwned = true">styled</b>
                """);
        send(page, "Show me some code");
        Locator answer = page.locator(".task .answer").last();
        assertThat(answer.locator("strong")).hasText("bold");
        assertThat(answer.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("link")))
                .hasAttribute("rel", "noopener noreferrer");
        assertThat(answer.locator("a[href^=javascript]")).hasCount(0);
        assertThat(answer.locator("pre code.hljs .hljs-type")).hasText("int");
        // The model's own HTML is shown as text, never run or applied.
        assertThat(answer).containsText("<script>window.pwned = true</script>");
        assertThat(answer.locator("img, script, b, [style], [onclick], [onerror]")).hasCount(0);
        assertThat(page.evaluate("() => window.pwned === undefined")).isEqualTo(true);
    }

    @Test
    void aPlannedTaskShowsWhoIsSpeakingThePlanTheProgressAndTheQuestionAsked(Chromium.Tab tab) {
        Page page = tab.page;
        String name = newUser(Role.STANDARD);
        logIn(page, name);
        // The events of the contract, as a planned task records them (the runtime writes these; here they are written
        // directly, and the page reads them back through the server's event stream).
        String userId = server.accounts.findUser(name).orElseThrow().id();
        long now = System.currentTimeMillis();
        Task task = new Task(Ids.next(), userId, "offsite", TaskStatus.WAITING_INPUT, Intent.COMPLEX_TASK,
                "Plan our team offsite", null, null, null, 0, 0, 0, now, now, null);
        server.tasks.insert(task);
        server.tasks.append(task.id(), "plan", "manager", "Here is the plan:", Json.parse("""
                {"steps": [
                  {"n": 1, "goal": "Find three venues", "agent": "researcher", "tools": ["http.fetch"], "estimate_seconds": 30},
                  {"n": 2, "goal": "Compare their prices", "agent": "analyst", "tools": [], "estimate_seconds": 60},
                  {"n": 3, "goal": "Write the proposal", "agent": "writer", "tools": ["files.write"], "estimate_seconds": 45}]}"""));
        server.tasks.append(task.id(), "step", "employee", "Step 2 of 3", Json.parse("""
                {"step": 2, "of": 3, "goal": "Compare their prices", "agent": "analyst", "eta_seconds": 105}"""));
        server.tasks.append(task.id(), "review", "supervisor", "Needs travel costs", Json.parse("""
                {"verdict": "revise", "feedback": "Add the travel costs to each venue.", "iteration": 1, "of": 2}"""));
        server.tasks.append(task.id(), "question", "employee", "Which city?", Json.parse("""
                {"question": "Which city should the offsite be in?"}"""));

        page.navigate(server.url() + "#/chat/offsite");
        Locator view = page.locator(".task");
        assertThat(view.locator(".msg .who .name")).hasText(new String[] {"Manager", "Employee", "Supervisor", "Employee"});
        assertThat(view.locator(".msg.role-manager .avatar")).hasText("M");
        assertThat(view.locator(".msg.role-supervisor .avatar")).hasText("S");
        assertThat(view.locator(".plan-steps li")).hasCount(3);
        assertThat(view.locator(".plan-steps li.done .goal")).hasText("Find three venues");
        assertThat(view.locator(".plan-steps li.current .goal")).hasText("Compare their prices");
        assertThat(view.locator(".progress progress")).hasAttribute("value", "2");
        assertThat(view.locator(".progress-label")).containsText("Step 2 of 3 · Compare their prices · about 1 min");
        assertThat(view.locator(".review.revise")).containsText("Add the travel costs to each venue.");
        Locator question = view.locator(".card.question");
        assertThat(question).containsText("Which city should the offsite be in?");
        assertThat(question.getByLabel("Your answer")).isFocused();
        assertThat(view.locator(".typing")).isHidden(); // it waits for the user, nobody is working
        tab.screenshot("pages/chat-plan");
    }

    @Test
    void conversationsKeepTheirHistory(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        model.thenAnswer("First answer.").thenAnswer("Second answer.");
        send(page, "First question");
        assertThat(page.locator(".task .answer").last()).hasText("First answer.");
        send(page, "Second question");
        assertThat(page.locator(".task .answer").last()).hasText("Second answer.");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("+ New chat")).click();
        assertThat(page.locator(".welcome")).isVisible();
        page.locator(".conversation-list a").filter(new Locator.FilterOptions().setHasText("First question")).click();
        assertThat(page.locator(".msg.user .text")).hasText(new String[] {"First question", "Second question"});
        assertThat(page.locator(".task .answer")).hasText(new String[] {"First answer.", "Second answer."});
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show the work")).first().click();
        assertThat(page.locator(".task").first().locator(".activity .model-call")).containsText("smart");
    }

    @Test
    void theApprovalsQueueSaysWhatWaitsAndWhatItCostsAndTakesADecision(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        textMessage("+15550199", "The server is down", new Usage(100, 20)).thenAnswer("It waits for your approval.");
        send(page, "Text the on-call engineer that the server is down");
        assertThat(page.locator(".task .answer").last()).hasText("It waits for your approval.");
        Locator badge = page.locator(".tabs .badge");
        assertThat(badge).hasText("1");

        goTo(page, "Approvals");
        Locator card = page.locator(".approval-list .card.approval");
        assertThat(card).hasCount(1);
        assertThat(card.locator(".what")).containsText("sms.send");
        assertThat(card.locator(".price")).containsText("costs $0.0500");
        card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reject")).click();
        assertThat(page.locator(".approval-list .empty")).hasText("Nothing is waiting for you.");
        assertThat(badge).isHidden();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("All")).click();
        assertThat(page.locator(".approval-list .card .status")).hasText("rejected");
        assertThat(server.smsSent).noneMatch(sms -> sms.path("to").asText().equals("+15550199"));
    }

    @Test
    void theActivePanelShowsRunningWorkAndStopsIt(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        model.thenBlockUntilInterrupted();
        send(page, "Take your time");
        assertThat(page.locator(".task .typing")).containsText("Employee is working");
        Locator panel = page.locator(".active-panel");
        assertThat(panel.locator(".count")).hasText("1");
        panel.locator("summary").click();
        Locator running = panel.locator(".active-tasks li");
        assertThat(running).containsText("Take your time");
        running.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Stop")).click();
        assertThat(page.locator(".task .cancelled")).isVisible();
        assertThat(panel.locator(".count")).hasText("0");
        assertThat(page.locator(".task .typing")).isHidden();
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

        page.getByLabel("Search memory").fill("office");
        page.getByLabel("Search memory").press("Enter");
        assertThat(page.locator(".fact")).hasCount(1);
        page.getByLabel("Search memory").fill("");
        page.getByLabel("Search memory").press("Enter");
        assertThat(page.locator(".fact")).hasCount(2);

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
    void whenTheSessionEndsThePageAsksToLogInAgain(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        tab.context.clearCookies();
        tab.expectError("status of 401");
        tab.expectError("401 GET");
        goTo(page, "Memory");
        assertThat(page.getByLabel("Name")).isVisible();
        assertThat(page.locator("#notices")).containsText("Your session has ended");
    }

    @Test
    void onlyAnAdministratorSeesTheSettings(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.ADMIN));
        goTo(page, "Settings");
        assertThat(page.locator("[data-setting=routing-mode]")).containsText("cloud");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        logIn(page, newUser(Role.STANDARD));
        assertThat(page.locator(".tabs a[data-page=chat]")).isVisible();
        assertThat(page.locator(".tabs a[data-page=settings]")).hasCount(0);
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

    /** Scripts the model to call the paid sms.send tool, which waits for approval. */
    private ScriptedModel textMessage(String to, String text, Usage usage) {
        return model.thenCall(usage, new ToolCall("call_1", "sms.send",
                Json.object().put("to", to).put("text", text)));
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

    private static String newUser(Role role) {
        String name = "user" + USERS.incrementAndGet();
        server.addUser(name, role, PASSWORD);
        return name;
    }

    private static void logIn(Page page, String name) {
        page.navigate(server.url());
        page.getByLabel("Name").fill(name);
        page.getByLabel("Password").fill(PASSWORD);
        page.getByLabel("Password").press("Enter");
        assertThat(page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Pages"))).isVisible();
    }

    private static void send(Page page, String message) {
        Locator input = page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Message"));
        input.fill(message);
        input.press("Enter");
    }

    private static void goTo(Page page, String pageName) {
        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Pages"))
                .getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(pageName)).click();
    }
}
