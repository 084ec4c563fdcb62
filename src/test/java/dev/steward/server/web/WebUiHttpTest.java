package dev.steward.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.router.RamTempDir;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the server hands out the web UI: the page, its assets, their caching and the Content-Security-Policy. */
class WebUiHttpTest {
    private static final Pattern ASSET = Pattern.compile("(?:src|href|content)=\"(/assets/[^\"]+)\"");
    private static final String FOREVER = "public, max-age=31536000, immutable";

    @TempDir(factory = RamTempDir.class)
    static Path home;
    static UiServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = new UiServer(home);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePageIsServedWithoutCredentialsUnderAStrictContentSecurityPolicyAndIsNeverCached() throws Exception {
        HttpResponse<String> page = get("");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                        "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*"));
        assertThat(page.body()).doesNotContain("@assets@", "@lib:");
        assertThat(get("api/tasks").statusCode()).as("the API still asks who is calling").isEqualTo(401);
    }

    @Test
    void everyAssetThePageNamesIsServedAndCachedForAYearUnderAVersionedUrl() throws Exception {
        List<String> assets = assetsOf(get("").body());
        assertThat(assets).anyMatch(a -> a.matches("/assets/[0-9a-f]{12}/app\\.js"))
                .anyMatch(a -> a.startsWith("/assets/lib/marked/"))
                .anyMatch(a -> a.startsWith("/assets/lib/dompurify/"))
                .anyMatch(a -> a.startsWith("/assets/lib/highlightjs/"))
                .anyMatch(a -> a.startsWith("/assets/lib/chart.js/"));
        for (String asset : assets) {
            HttpResponse<String> response = get(asset.substring(1));
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).as(asset).hasValue(FOREVER);
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(asset).hasValue("nosniff");
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (asset.endsWith(".js")) {
                assertThat(type).as(asset).startsWith("text/javascript"); // modules load only with a JS type
            } else if (asset.endsWith(".css")) {
                assertThat(type).as(asset).startsWith("text/css");
            }
        }
    }

    @Test
    void theModulesAppJsImportsAreServedBesideIt() throws Exception {
        String app = assetsOf(get("").body()).stream().filter(a -> a.endsWith("/app.js")).findFirst().orElseThrow();
        String base = app.substring(1, app.lastIndexOf('/') + 1);
        Matcher imports = Pattern.compile("from '\\./([a-z-]+\\.js)'").matcher(get(app.substring(1)).body());
        int count = 0;
        while (imports.find()) {
            assertThat(get(base + imports.group(1)).statusCode()).as(imports.group(1)).isEqualTo(200);
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(8);
    }

    @Test
    void anAssetOfAnotherBuildIsNotFoundAndThePagesTemplateIsNoAsset() throws Exception {
        assertThat(get("assets/000000000000/app.js").statusCode()).isEqualTo(404);
        String app = assetsOf(get("").body()).stream().filter(a -> a.endsWith("/app.js")).findFirst().orElseThrow();
        assertThat(get(app.substring(1).replace("app.js", "index.html")).statusCode()).isEqualTo(404);
    }

    @Test
    void noAssetPathReachesAClassOrADirectory() throws Exception {
        assertThat(get("assets/lib/%2e%2e/%2e%2e/%2e%2e/dev/steward/app/Main.class").statusCode()).isIn(400, 404);
        assertThat(get("assets/lib/marked/").statusCode()).isEqualTo(404);
        assertThat(get("assets/lib/no-such-library/1.0/x.js").statusCode()).isEqualTo(404);
    }

    private static List<String> assetsOf(String page) {
        return ASSET.matcher(page).results().map(m -> m.group(1)).toList();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
