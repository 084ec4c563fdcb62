package dev.steward.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.steward.agent.Intent;
import dev.steward.agent.Task;
import dev.steward.agent.TaskEvent;
import dev.steward.agent.TaskStatus;
import dev.steward.config.Role;
import dev.steward.router.ScriptedModel;
import dev.steward.router.ToolCall;
import dev.steward.router.Usage;
import dev.steward.support.Ids;
import dev.steward.support.Json;
import org.junit.jupiter.api.Test;

/**
 * Chatting in real headless Chromium against a real server: the answer streamed and rendered, who speaks, the plan and
 * progress of a task, approvals in place and in the queue, the Active panel, the history — and the "done
 * when": a new user logs in, chats, approves an action and finds it in the audit log, memory and dashboard.
 */
class ChatUiTest extends BrowserTest {
    @Test
    void aNewUserLogsInChatsApprovesAnActionAndFindsItInTheAuditLogMemoryAndDashboard(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));

        // A job with a paid action: the Employee speaks, the approval says what and how much, the task waits for it;
        // once approved, the message goes out and the answer streams in.
        textMessage("+15550100", "Lunch is at noon", new Usage(2_000, 500))
                .thenAnswer("I texted **Sam** that lunch is at noon.", new Usage(12_000, 3_000));
        send(page, "Text Sam that lunch is at noon");
        Locator task = page.locator(".task").last();
        assertThat(task.locator(".msg.role-employee .who .name").first()).hasText("Employee");
        assertThat(task.locator(".activity .tool .tool-name")).hasText("sms.send");
        Locator approval = task.locator(".card.approval");
        assertThat(approval.locator(".price")).containsText("costs $0.0500");
        assertThat(server.smsSent).isEmpty();
        tab.screenshot("pages/chat-approval");
        approval.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();
        assertThat(approval.locator(".decision")).containsText("Approved");
        assertThat(task.locator(".msg.role-employee .answer strong")).hasText("Sam");
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
        server.tasks.append(task.id(), TaskEvent.Kind.PLAN, TaskEvent.AgentRole.MANAGER, "Here is the plan:", Json.parse("""
                {"steps": [
                  {"n": 1, "goal": "Find three venues", "agent": "researcher", "tools": ["http.fetch"], "estimate_seconds": 30},
                  {"n": 2, "goal": "Compare their prices", "agent": "analyst", "tools": [], "estimate_seconds": 60},
                  {"n": 3, "goal": "Write the proposal", "agent": "writer", "tools": ["files.write"], "estimate_seconds": 45}]}"""));
        server.tasks.append(task.id(), TaskEvent.Kind.STEP, TaskEvent.AgentRole.EMPLOYEE, "Step 2 of 3", Json.parse("""
                {"step": 2, "of": 3, "goal": "Compare their prices", "agent": "analyst", "eta_seconds": 105}"""));
        server.tasks.append(task.id(), TaskEvent.Kind.REVIEW, TaskEvent.AgentRole.SUPERVISOR, "Needs travel costs", Json.parse("""
                {"verdict": "revise", "feedback": "Add the travel costs to each venue.", "iteration": 1, "of": 2}"""));
        server.tasks.append(task.id(), TaskEvent.Kind.QUESTION, TaskEvent.AgentRole.EMPLOYEE, "Which city?", Json.parse("""
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
        send(page, "What is our refund policy?");
        assertThat(page.locator(".task .answer").last()).hasText("First answer.");
        send(page, "How long do refunds take?");
        assertThat(page.locator(".task .answer").last()).hasText("Second answer.");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("+ New chat")).click();
        assertThat(page.locator(".welcome")).isVisible();
        page.locator(".conversation-list a").filter(new Locator.FilterOptions().setHasText("What is our refund policy?")).click();
        assertThat(page.locator(".msg.user .text")).hasText(new String[] {"What is our refund policy?", "How long do refunds take?"});
        assertThat(page.locator(".task .answer")).hasText(new String[] {"First answer.", "Second answer."});
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Show the work")).first().click();
        assertThat(page.locator(".task").first().locator(".activity .model-call")).containsText("smart");
    }

    @Test
    void theApprovalsQueueSaysWhatWaitsAndWhatItCostsAndTakesADecision(Chromium.Tab tab) {
        Page page = tab.page;
        logIn(page, newUser(Role.STANDARD));
        textMessage("+15550199", "The server is down", new Usage(100, 20)).thenAnswer("Understood, I did not send it.");
        send(page, "Text the on-call engineer that the server is down");
        assertThat(page.locator(".task .card.approval").last()).isVisible();
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
        goTo(page, "Chat");
        page.locator(".conversation-list a").filter(new Locator.FilterOptions().setHasText("on-call engineer")).click();
        // The task went on without the message.
        assertThat(page.locator(".task .answer").last()).hasText("Understood, I did not send it.");
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

    /** Scripts the model to call the paid sms.send tool, which waits for approval. */
    ScriptedModel textMessage(String to, String text, Usage usage) {
        return model.thenCall(usage, new ToolCall("call_1", "sms.send",
                Json.object().put("to", to).put("text", text)));
    }
}
