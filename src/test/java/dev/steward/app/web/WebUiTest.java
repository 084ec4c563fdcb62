package dev.steward.app.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.app.server.Accounts.Role;
import dev.steward.router.RamTempDir;
import dev.steward.router.ToolCall;
import dev.steward.router.Usage;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aNewUserLogsInChatsApprovesAnActionAndFindsItInTheAuditLogMemoryAndDashboard(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));

        // A job with a paid action: the answer streams in, the Employee speaks, the approval says what and how much.
        server.model
                .thenCall(new Usage(2_000, 500), new ToolCall("call_1", "sms.send",
                        Json.parse("{\"to\": \"+15550100\", \"text\": \"Lunch is at noon\"}")))
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
        server.model.thenAnswer("Noted: Sarah Lee is your CFO.", new Usage(1_000, 200));
        send(page, "Remember that our CFO is Sarah Lee");
        assertThat(page.locator(".task").last().locator(".answer")).containsText("Noted");
        goTo(page, "Memory");
        assertThat(page.locator(".fact").filter(new Locator.FilterOptions().setHasText("Sarah Lee"))).isVisible();

        // The approved action is in the audit log, whose chain holds.
        goTo(page, "Audit");
        assertThat(page.locator("table.audit tbody tr").filter(new Locator.FilterOptions().setHasText("sms.send"))
                .first()).isVisible();
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
