package dev.steward.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which class path file an {@code /assets/…} path names: only the UI's files and WebJars, never a way out. */
class WebUiAssetPathTest {
    private static final String HASH = "0123456789ab";

    @Test
    void thisBuildsAssetsAreTheUisFilesAndLibrariesAreWebJarFiles() {
        assertThat(WebUi.resourceOf("/" + HASH + "/app.js", HASH)).isEqualTo("web/app.js");
        assertThat(WebUi.resourceOf("/lib/marked/15.0.0/lib/marked.esm.js", HASH))
                .isEqualTo("META-INF/resources/webjars/marked/15.0.0/lib/marked.esm.js");
    }

    @Test
    void anotherBuildsHashThePagesTemplateAndDirectoriesNameNothing() {
        assertThat(WebUi.resourceOf("/fedcba987654/app.js", HASH)).isNull();
        assertThat(WebUi.resourceOf("/" + HASH + "/index.html", HASH)).isNull();
        assertThat(WebUi.resourceOf("/" + HASH + "/", HASH)).isNull();
        assertThat(WebUi.resourceOf("/lib/marked/", HASH)).isNull();
        assertThat(WebUi.resourceOf(null, HASH)).isNull();
    }

    @Test
    void noSegmentClimbsOutOfTheUiOrTheWebJars() {
        assertThat(WebUi.resourceOf("/lib/../../../dev/steward/app/Main.class", HASH)).isNull();
        assertThat(WebUi.resourceOf("/" + HASH + "/../steward.yaml", HASH)).isNull();
        assertThat(WebUi.resourceOf("/" + HASH + "/./app.js", HASH)).isNull();
        assertThat(WebUi.resourceOf("/" + HASH + "//app.js", HASH)).isNull();
        assertThat(WebUi.resourceOf("/lib/marked\\..\\x", HASH)).isNull();
    }
}
