package dev.steward.research;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.actions.ActionGate;
import dev.steward.actions.BuiltinTools;
import dev.steward.actions.Tool;
import dev.steward.actions.ToolContext;
import dev.steward.actions.Tools;
import dev.steward.config.ActionsConfig;
import dev.steward.config.BrowserConfig;
import dev.steward.config.DatabaseConfig;
import dev.steward.config.ResearchConfig;
import dev.steward.config.Role;
import dev.steward.config.RoutingMode;
import dev.steward.integrations.browser.BrowserTools;
import dev.steward.integrations.browser.LocalSite;
import dev.steward.integrations.browser.WebBrowser;
import dev.steward.memory.Memory;
import dev.steward.memory.PatternFactExtractor;
import dev.steward.memory.SqlMemorySearch;
import dev.steward.router.ChatModel;
import dev.steward.router.ChatRequest;
import dev.steward.router.ChatResponse;
import dev.steward.router.ModelCallLog;
import dev.steward.router.Router;
import dev.steward.store.Database;
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
 * Research over a site on loopback, read with the real browser through the gate (one site, one browser for the
 * class): offline the report is the sources' own sentences, each citing the page that holds it; with a model, a
 * citation whose quote is not in the cited page is removed.
 */
class ResearchTest {
    static final ToolContext USER = new ToolContext("local", null, Role.ADMIN);
    static final String QUESTION = "Where is the Acme widget factory? How many people does the factory employ?";

    @TempDir
    static Path home;
    static LocalSite site;
    static WebBrowser browser;
    static Database database;
    static ActionGate gate;
    static Memory memory;

    @BeforeAll
    static void start() throws Exception {
        site = new LocalSite(Map.of(
                "/factory", LocalSite.page("About Acme", """
                        <h1>About Acme</h1><p>The Acme widget factory stands in Leeds, beside the river Aire.
                        It opened in 1998. Our widgets are painted blue by hand.</p>"""),
                "/people", LocalSite.page("Working at Acme", """
                        <h1>Careers</h1><p id="staff"></p><script>document.getElementById('staff').textContent =
                        'The factory employs 140 people across three shifts.';</script>"""),
                "/weather", LocalSite.page("Weather", "<p>Weather today is sunny with light winds over the hills.</p>"),
                "/search", """
                        {"results": [{"url": "/factory", "title": "About Acme"}, {"url": "/people", "title": "Careers"},
                                     {"url": "/weather", "title": "Weather"}]}"""));
        ActionsConfig actions = new ActionsConfig(null, null, null, null, null,
                new ActionsConfig.Http(true, null, null, null, null), null, null, null);
        Path workspace = home.resolve("workspace");
        browser = new WebBrowser(new BrowserConfig(null, null, null, null, 10, null, null), actions.http(), workspace);
        database = Database.open(home, DatabaseConfig.embedded());
        List<Tool> tools = new ArrayList<>(BuiltinTools.create(actions, workspace));
        tools.addAll(BrowserTools.create(browser));
        gate = new ActionGate(new Tools(tools), actions, database, Clock.systemUTC());
        memory = new Memory(database, new SqlMemorySearch(database), new PatternFactExtractor(), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        browser.close();
        database.close();
        site.close();
    }

    List<String> sources() {
        return List.of(site.url("/factory"), site.url("/people"), site.url("/weather"));
    }

    @Test
    void offlineTheReportCitesThePageThatHoldsEachFact() throws Exception {
        ResearchReport report = new Research(gate, null, memory, Clock.systemUTC())
                .run(new ResearchRequest(QUESTION, sources(), "reports/acme.md", 1), USER);

        assertThat(report.extractive()).isTrue();
        assertThat(report.subQuestions()).containsExactly("Where is the Acme widget factory?",
                "How many people does the factory employ?");
        assertThat(report.markdown())
                .contains("The Acme widget factory stands in Leeds, beside the river Aire [1].")
                .contains("The factory employs 140 people across three shifts [2].")
                .contains("[1] About Acme — " + site.url("/factory"))
                .contains("[2] Working at Acme — " + site.url("/people"))
                .contains("[3] Weather — " + site.url("/weather"))
                .doesNotContain("sunny");
        assertThat(Files.readString(home.resolve("workspace/reports/acme.md"))).isEqualTo(report.markdown());
        assertThat(memory.episodes("local")).anySatisfy(e -> assertThat(e.answer())
                .contains("reports/acme.md").contains(site.url("/people")));
    }

    @Test
    void withAModelCitationsNotFoundInTheirSourcesAreRemoved() {
        ChatModel model = new FakeModel("""
                {"findings": [
                  {"sub_question": "Where is the factory?", "claim": "The factory is in Leeds.",
                   "quote": "stands in Leeds, beside the river Aire", "source": 1},
                  {"sub_question": "Where is the factory?", "claim": "It makes 9000 widgets a day.",
                   "quote": "makes 9000 widgets a day", "source": 1},
                  {"sub_question": "How many staff?", "claim": "It employs 140 people [1].",
                   "quote": "employs 140 people across three shifts", "source": 1},
                  {"sub_question": "How many staff?", "claim": "It employs 140 people in three shifts.",
                   "quote": "The factory employs 140 people across three shifts.", "source": 2},
                  {"sub_question": "How many staff?", "claim": "A source that is not there.",
                   "quote": "The factory employs 140 people", "source": 7}]}""");
        Router router = new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO);

        ResearchReport report = new Research(gate, router, null, Clock.systemUTC())
                .run(new ResearchRequest(QUESTION, sources(), null, 1), USER);

        assertThat(report.extractive()).isFalse();
        assertThat(report.subQuestions()).containsExactly("Where is the factory?", "How many staff?");
        assertThat(report.removed()).isEqualTo(3);
        assertThat(report.findings()).extracting(Finding::text, Finding::source).containsExactly(
                org.assertj.core.groups.Tuple.tuple("The factory is in Leeds.", 1),
                org.assertj.core.groups.Tuple.tuple("It employs 140 people in three shifts.", 2));
        assertThat(report.markdown()).contains("The factory is in Leeds [1].")
                .contains("It employs 140 people in three shifts [2].")
                .contains("3 claims were removed").doesNotContain("9000").doesNotContain("[7]");
        assertThat(report.path()).isEqualTo("research/where-is-the-acme-widget-factory-how-many-people-does-the.md");
    }

    @Test
    void withoutSourcesASearxngInstanceFindsThem() {
        ResearchConfig searching = new ResearchConfig(site.url("/"), 2);

        ResearchReport report = new Research(gate, null, null, Clock.systemUTC(), searching)
                .run(new ResearchRequest(QUESTION, List.of(), null, 1), USER);

        assertThat(report.sources()).extracting(Source::url).containsExactly(site.url("/factory"), site.url("/people"));
        assertThat(report.markdown()).contains("The factory employs 140 people across three shifts [2].");
    }

    @Test
    void aSourceThatCannotBeReadIsListedAndNoSourcesIsAClearError() {
        ResearchReport report = new Research(gate, null, null, Clock.systemUTC())
                .run(new ResearchRequest(QUESTION, List.of(site.url("/factory"), "file:///etc/passwd"), null, 1), USER);

        assertThat(report.unread()).singleElement().asString().contains("file:///etc/passwd")
                .contains("only http and https");
        assertThatThrownBy(() -> new Research(gate, null, null, Clock.systemUTC())
                .run(new ResearchRequest(QUESTION, List.of(), null, 1), USER))
                .hasMessageContaining("--sources");
    }

    /** A model that plans two sub-questions, then writes the findings it was given (some of them untrue). */
    record FakeModel(String findings) implements ChatModel {
        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String provider() {
            return "test";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            String system = request.messages().getFirst().content();
            String text = system.contains("sub-questions that together answer it")
                    ? "{\"sub_questions\": [\"Where is the factory?\", \"How many staff?\"]}" : findings;
            return new ChatResponse(text, List.of(), null, "fake", ChatResponse.FinishReason.STOP);
        }
    }
}
