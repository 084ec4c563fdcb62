package dev.steward.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.support.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolsTest {
    static Tool named(String name) {
        ToolSpec spec = new ToolSpec(name, "does " + name, Json.parse("{\"type\":\"object\"}"), Risk.READ);
        return Tool.of(spec, (arguments, context) -> ToolResult.ok(Json.object().put("tool", name)));
    }

    @Test
    void findsToolsByName() {
        Tool read = named("files.read");
        Tools tools = new Tools(List.of(read, named("files.write")));

        assertThat(tools.find("files.read")).containsSame(read);
        assertThat(tools.find("files.delete")).isEmpty();
        assertThat(tools.find("FILES.READ")).as("names are exact").isEmpty();
    }

    @Test
    void listsToolsInTheOrderTheyWereGiven() {
        Tools tools = new Tools(List.of(named("b"), named("a"), named("c")));

        assertThat(tools.all()).extracting(t -> t.spec().name()).containsExactly("b", "a", "c");
    }

    @Test
    void refusesTwoToolsWithOneName() {
        assertThatThrownBy(() -> new Tools(List.of(named("files.read"), named("other"), named("files.read"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("files.read");
    }

    @Test
    void aResultIsContentOrAnError() {
        ToolResult ok = ToolResult.ok(Json.object().put("n", 1));
        ToolResult failed = ToolResult.failed("no such file");

        assertThat(ok.isError()).isFalse();
        assertThat(ok.content().path("n").asInt()).isEqualTo(1);
        assertThat(failed.isError()).isTrue();
        assertThat(failed.error()).isEqualTo("no such file");
        assertThat(failed.content()).isNull();
    }

    @Test
    void risksHaveLowercaseIds() {
        assertThat(Risk.DANGEROUS.id()).isEqualTo("dangerous");
        assertThat(Json.write(Risk.READ)).isEqualTo("\"read\"");
    }
}
