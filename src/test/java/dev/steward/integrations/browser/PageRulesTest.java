package dev.steward.integrations.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.ActionsConfig;
import dev.steward.config.BrowserConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which URLs the browser may load, without a browser: the rules every page and every request of a page pass. */
class PageRulesTest {
    static final ActionsConfig.Http STRICT = new ActionsConfig.Http(null, null, null, null, null);

    static PageRules rules(List<String> allowed, List<String> blocked) {
        return new PageRules(new BrowserConfig(allowed, blocked, null, null, null, null, null), STRICT);
    }

    @Test
    void onlyHttpAndHttpsPagesOpen() {
        PageRules rules = rules(null, null);

        for (String url : List.of("file:///etc/passwd", "chrome://settings", "data:text/html,<b>hi</b>",
                "javascript:alert(1)", "view-source:http://example.com")) {
            assertThat(rules.refusal(url, true)).as(url).contains("only http and https");
        }
        assertThat(rules.refusal("data:image/png;base64,AAAA", false)).as("an inline image of a page").isNull();
    }

    @Test
    void theAllowlistCoversSubdomainsNotLookAlikesAndTheBlocklistWins() {
        PageRules rules = rules(List.of("*.Example.com"), List.of("ads.example.com"));

        assertThat(rules.refusal("https://badexample.com/", true))
                .contains("badexample.com is not in browser.allowed_domains");
        assertThat(rules.refusal("https://ads.example.com/x", true)).contains("is in browser.blocked_domains");
        assertThat(rules.refusal("https://ads.example.com/x.js", false)).contains("browser.blocked_domains");
        assertThat(rules.refusal("https://cdn.other.net/lib.js", false)).as("a page's scripts may come from elsewhere")
                .doesNotContain("allowed_domains");
    }

    @Test
    void privateAddressesFollowHttpFetchRules() {
        PageRules strict = rules(null, null);
        PageRules allowing = new PageRules(BrowserConfig.defaults(), new ActionsConfig.Http(true, null, null, null, null));

        assertThat(strict.refusal("http://127.0.0.1:8700/", true)).contains("a loopback address")
                .contains("actions.http.allow_private");
        assertThat(strict.refusal("http://169.254.169.254/latest/meta-data", false))
                .contains("the cloud metadata address");
        assertThat(strict.refusal("http://10.1.2.3/", false)).contains("a private address");
        assertThat(allowing.refusal("http://127.0.0.1:8700/", true)).isNull();
    }
}
