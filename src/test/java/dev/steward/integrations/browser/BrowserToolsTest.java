package dev.steward.integrations.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.actions.ActionGate;
import dev.steward.actions.BuiltinTools;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.BrowserConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.Role;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser tools through the gate, against a site on loopback and Debian's Chromium: one site and one browser
 * for the class. Loopback is allowed the way http.fetch's tests allow it (actions.http.allow_private); the domain
 * allowlist names 127.0.0.1, so the same site under the name localhost is outside it.
 */
class BrowserToolsTest {
    static final ToolContext OUTSIDE_A_TASK = new ToolContext("local", null, Role.ADMIN);

    @TempDir
    static Path home;
    static LocalSite site;
    static WebBrowser browser;
    static Database database;
    static ActionGate gate;

    @BeforeAll
    static void start() throws Exception {
        site = new LocalSite(Map.of());
        ActionsConfig actions = new ActionsConfig(null, null, null, null, null,
                new ActionsConfig.Http(true, null, null, null, null), null, null, null);
        BrowserConfig config = new BrowserConfig(List.of("127.0.0.1"), null, null, null, 10, null, null);
        browser = new WebBrowser(config, actions.http(), home.resolve("workspace"));
        database = Database.open(home, DatabaseConfig.embedded());
        List<Tool> tools = new ArrayList<>(BuiltinTools.create(actions, home.resolve("workspace")));
        tools.addAll(BrowserTools.create(browser));
        gate = new ActionGate(new Tools(tools), actions, database, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        browser.close();
        database.close();
        site.close();
    }

    static ActionGate.Outcome call(String tool, Object arguments, ToolContext context) {
        return gate.call(tool, Json.mapper().valueToTree(arguments), context);
    }

    static JsonNode ran(ActionGate.Outcome outcome) {
        assertThat(outcome).as(outcome.message()).isInstanceOf(ActionGate.Ran.class);
        assertThat(outcome.ok()).as(String.valueOf(outcome.message())).isTrue();
        return ((ActionGate.Ran) outcome).result().content();
    }

    @Test
    void openSeesTheTextAScriptWroteAndListsElementsWithReferences() {
        JsonNode page = ran(call("browser.open", Map.of("url", site.url("/script")), OUTSIDE_A_TASK));

        assertThat(page.path("title").asText()).isEqualTo("Catalogue");
        assertThat(page.path("url").asText()).isEqualTo(site.url("/script"));
        assertThat(page.path("text").asText()).contains("Rendered by script: 42 widgets in stock")
                .doesNotContain("loading");
        assertThat(page.path("elements").get(0).path("ref").asText()).isEqualTo("e1");
        assertThat(page.path("elements").get(0).path("name").asText()).isEqualTo("Catalogue");
        assertThat(page.path("notice").asText()).contains("untrusted");
    }

    @Test
    void aTableComesBackAsColumnsAndRows() {
        JsonNode data = ran(call("browser.extract", Map.of("url", site.url("/table"), "format", "table"),
                OUTSIDE_A_TASK)).path("data");

        assertThat(Json.write(data.path("columns"))).isEqualTo("[\"Item\",\"Price\"]");
        assertThat(Json.write(data.path("rows"))).isEqualTo("[[\"Widget\",\"3.50\"],[\"Gadget\",\"12.00\"]]");
    }

    @Test
    void linksAndListItemsAreListed() {
        JsonNode links = ran(call("browser.extract", Map.of("url", site.url("/links"), "format", "links"),
                OUTSIDE_A_TASK)).path("data").path("links");
        JsonNode items = ran(call("browser.extract", Map.of("url", site.url("/table"), "format", "list",
                "selector", "ul.notes"), OUTSIDE_A_TASK)).path("data").path("items");

        assertThat(links.findValuesAsText("text")).containsExactly("Price list", "Order form");
        assertThat(links.findValuesAsText("url")).containsExactly(site.url("/table"), site.url("/form"));
        assertThat(items.findValuesAsText("")).isEmpty();
        assertThat(Json.write(items)).isEqualTo("[\"Prices include VAT\",\"Shipping is free\"]");
    }

    @Test
    void aSelectorThatMatchesNothingNamesTheNearMatches() {
        ActionGate.Outcome outcome = call("browser.extract", Map.of("url", site.url("/table"), "selector", "#price",
                "format", "table"), OUTSIDE_A_TASK);

        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.message()).contains("'#price' matches nothing").contains("near matches: '#prices'");
    }

    @Test
    void aFormIsSentOnlyAfterApprovalWithTheValuesAsked() {
        ActionGate.Outcome asked = call("browser.submit_form", Map.of("url", site.url("/form"),
                "fields", Map.of("Your name", "Ada Lovelace", "colour", "Green", "Gift wrap", "yes")), OUTSIDE_A_TASK);

        assertThat(asked).isInstanceOf(ActionGate.NeedsApproval.class);
        assertThat(gate.approval(asked.approvalId()).orElseThrow().arguments()).contains("Ada Lovelace");
        assertThat(site.orders).isEmpty();

        JsonNode sent = ran(gate.approve(asked.approvalId(), "local", null));

        assertThat(site.orders).containsExactly("customer=Ada Lovelace&colour=g&gift=on");
        assertThat(sent.path("title").asText()).isEqualTo("Thanks");
        assertThat(sent.path("text").asText()).contains("Order received");
    }

    @Test
    void withinATaskReferencesFillAndClickButAClickMayNotSendTheForm() {
        ToolContext task = new ToolContext("local", "task-refs", Role.ADMIN);
        try {
            JsonNode page = ran(call("browser.open", Map.of("url", site.url("/form")), task));
            String nameRef = null;
            for (JsonNode element : page.path("elements")) {
                if (element.path("field").asText().equals("customer")) {
                    nameRef = element.path("ref").asText();
                }
            }
            assertThat(nameRef).as(page.path("elements").toString()).isNotNull();

            ran(call("browser.fill", Map.of("field", nameRef, "value", "Grace"), task));
            assertThat(ran(call("browser.select", Map.of("field", "Colour", "option", "Red"), task))
                    .path("selected").asText()).isEqualTo("Red");
            ActionGate.Outcome missing = call("browser.fill", Map.of("field", "Your email", "value", "x"), task);
            assertThat(missing.message()).contains("no field 'Your email'").contains("'Your name'");
            ActionGate.Outcome click = call("browser.click", Map.of("target", "Place order"), task);

            assertThat(click.ok()).isFalse();
            assertThat(click.message()).contains("only browser.submit_form sends forms");
            assertThat(site.orders).doesNotContain("customer=Grace&colour=r");
        } finally {
            browser.endTask("task-refs");
        }
        assertThat(browser.openTasks()).isZero();
    }

    @Test
    void pagesOutsideTheAllowlistAndFileUrlsAreRefused() {
        ActionGate.Outcome outside = call("browser.open", Map.of("url", site.localhostUrl("/script")), OUTSIDE_A_TASK);
        ActionGate.Outcome file = call("browser.open", Map.of("url", "file:///etc/passwd"), OUTSIDE_A_TASK);
        ActionGate.Outcome linkOut = call("browser.extract", Map.of("url", "data:text/html,<p>hi</p>"), OUTSIDE_A_TASK);

        assertThat(outside.message()).contains("localhost is not in browser.allowed_domains");
        assertThat(file.message()).contains("refused file:///etc/passwd").contains("only http and https");
        assertThat(linkOut.message()).contains("only http and https");
    }

    @Test
    void aLoginWallIsNamed() {
        JsonNode page = ran(call("browser.open", Map.of("url", site.url("/login")), OUTSIDE_A_TASK));

        assertThat(page.path("wall").asText()).isEqualTo("login");
        assertThat(page.path("wall_notice").asText()).contains("ask the user");
    }

    @Test
    void aScreenshotIsAPngInTheWorkspace() throws Exception {
        JsonNode shot = ran(call("browser.screenshot", Map.of("url", site.url("/table"), "path", "shots/prices.png"),
                OUTSIDE_A_TASK));

        Path file = home.resolve("workspace").resolve(shot.path("path").asText());
        byte[] png = Files.readAllBytes(file);
        assertThat(new byte[] {png[0], png[1], png[2], png[3]}).containsExactly(0x89, 'P', 'N', 'G');
        assertThat(call("browser.screenshot", Map.of("url", site.url("/table"), "path", "../out.png"), OUTSIDE_A_TASK)
                .message()).contains("leads out of the workspace");
    }
}
