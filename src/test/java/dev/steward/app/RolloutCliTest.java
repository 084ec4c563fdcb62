package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.InProcessCli.Run;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.support.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** steward rollout, flags and state, in-process through {@link Main#run}, against a fake provider on loopback. */
class RolloutCliTest {
    @TempDir
    Path dir;
    Path home;
    FakeOpenAiServer provider;

    @BeforeEach
    void configure() throws Exception {
        provider = FakeOpenAiServer.start().defaultReply(FakeReply.text("ready").usage(3, 1));
        home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("steward.yaml"), """
                # the team's settings
                providers:
                  - name: up
                    kind: openai
                    base_url: %s
                    api_key: sk-test
                    models:
                      - name: fake-model
                      - name: other-model
                routing:
                  retries: 0
                  aliases:
                    assistant: up/fake-model
                """.formatted(provider.baseUrl()));
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    Run run(Path at, String... args) {
        return InProcessCli.run(at, "", args);
    }

    Run run(String... args) {
        return run(home, args);
    }

    @Test
    void badInputIsAClearErrorWithExit2AndChangesNothing() {
        Run plan = run("rollout", "start", "r", "--alias", "assistant", "--candidate", "up/other-model", "--plan",
                "shadow:5,50%,100%");
        assertThat(plan.exit()).isEqualTo(Main.USAGE);
        assertThat(plan.err()).contains("'50%' is not a step; PLAN is comma-separated steps: shadow:N, P%:N");

        Run model = run("rollout", "precheck", "--alias", "assistant", "--candidate", "up/nope");
        assertThat(model.exit()).isEqualTo(Main.USAGE);
        assertThat(model.err()).contains("unknown model up/nope; use one of: up/fake-model, up/other-model");

        Run alias = run("rollout", "start", "r", "--alias", "bot", "--candidate", "up/other-model", "--plan",
                "shadow:5,100%");
        assertThat(alias.exit()).isEqualTo(Main.USAGE);
        assertThat(alias.err()).contains("no routing alias named bot; use one of: assistant");
        assertThat(run("rollout", "list").out().lines()).hasSize(1);
    }

    @Test
    void precheckStartStatusPauseAndPromoteRewriteTheAlias() throws Exception {
        Run precheck = run("rollout", "precheck", "--alias", "assistant", "--candidate", "up/other-model");
        assertThat(precheck.exit()).as(precheck.err()).isZero();
        assertThat(precheck.out()).contains("ok   reachable  up/other-model answered in");

        assertThat(run("rollout", "start", "llama", "--alias", "assistant", "--candidate", "other-model", "--plan",
                "shadow:50,5%:100,100%", "--max-p95-ms", "4000").out()).startsWith("Started rollout llama: assistant"
                + " from up/fake-model to up/other-model, now shadow:50.");
        Run second = run("rollout", "start", "again", "--alias", "assistant", "--candidate", "up/other-model",
                "--plan", "shadow:5,100%");
        assertThat(second.exit()).isEqualTo(Main.USAGE);
        assertThat(second.err()).contains("alias assistant is already being rolled out by llama");

        JsonNode status = Json.parse(run("rollout", "status", "llama", "--json").out());
        assertThat(status.path("state").asText()).isEqualTo("running");
        assertThat(status.path("phase").asText()).isEqualTo("shadow:50");
        assertThat(status.path("reason").isNull()).isTrue();
        for (String arm : new String[] {"baseline", "candidate"}) {
            assertThat(status.path("arms").path(arm).fieldNames()).toIterable()
                    .contains("requests", "errors", "p95_ms", "cost_usd");
        }

        assertThat(run("rollout", "pause", "llama").out()).isEqualTo("Rollout llama is paused.\n");
        assertThat(run("rollout", "promote", "llama").out()).startsWith("Rollout llama is promoted: assistant now"
                + " points at up/other-model");
        String yaml = Files.readString(home.resolve("steward.yaml"));
        assertThat(yaml).startsWith("# the team's settings\n").contains("    assistant: up/other-model\n")
                .contains("      - name: fake-model");
        try (var checkpoints = Files.list(home.resolve("checkpoints"))) {
            assertThat(checkpoints).singleElement().satisfies(p -> assertThat(p.getFileName().toString())
                    .startsWith("before-llama-").endsWith(".zip"));
        }
        assertThat(run("rollout", "list").out()).contains("llama").contains("promoted");
    }

    @Test
    void flagsAndStateCheckpoints() {
        assertThat(run("flags", "set", "new-planner", "25%").out()).isEqualTo("Flag new-planner is 25%.\n");
        assertThat(run("flags", "set", "beta", "--users", "alice,bob").exit()).isZero();
        assertThat(run("flags", "list").out()).contains("new-planner", "25%", "users alice,bob");
        assertThat(run("flags", "set", "x", "sometimes").err()).contains("'sometimes' is not a flag value; write on,"
                + " off, a share like 25%");

        Path file = dir.resolve("state.zip");
        assertThat(run("state", "export", file.toString()).exit()).isZero();
        Run refused = run("state", "import", file.toString());
        assertThat(refused.exit()).isEqualTo(Main.USAGE);
        assertThat(refused.err()).contains("is not empty");
        Path fresh = dir.resolve("fresh");
        Run imported = run(fresh, "state", "import", file.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(run(fresh, "flags", "list").out()).contains("new-planner", "25%");
    }

    @Test
    void askModelNamesAnAliasOrModelForOneAskAndAProfileSwitchesModelBehindAFlag() throws Exception {
        Run alias = run("ask", "--model", "assistant", "say hello to Anna");
        assertThat(alias.exit()).as(alias.err()).isZero();
        assertThat(modelsAsked("say hello to Anna")).containsOnly("fake-model");
        assertThat(run("ask", "--model", "up/other-model", "say hello to Bo").exit()).isZero();
        assertThat(modelsAsked("say hello to Bo")).containsOnly("other-model");

        Run unknown = run("ask", "--model", "gpt-9", "say hello to Cy");
        assertThat(unknown.exit()).isEqualTo(Main.USAGE);
        assertThat(unknown.err()).contains("no alias or model named 'gpt-9'; aliases: assistant; models: up/fake-model,"
                + " up/other-model");
        assertThat(modelsAsked("say hello to Cy")).isEmpty();

        Files.writeString(home.resolve("steward.yaml"), """
                agents:
                  profiles:
                    - name: writer
                      description: writes letters
                      model: up/other-model
                      flag: new-writer
                """, java.nio.file.StandardOpenOption.APPEND);
        assertThat(run("ask", "--agent", "writer", "write to Dee").exit()).isZero();
        assertThat(modelsAsked("write to Dee")).as("flag off: the tier's choice").containsOnly("fake-model");
        assertThat(run("flags", "set", "new-writer", "on").exit()).isZero();
        assertThat(run("ask", "--agent", "writer", "write to Ed").exit()).isZero();
        assertThat(modelsAsked("write to Ed")).as("flag on: the profile's model").containsOnly("other-model");
    }

    /** The models named by the task's own calls that carried this text (not the router's intent classification). */
    private java.util.List<String> modelsAsked(String text) {
        return provider.requests().stream().filter(r -> r.body() != null && r.rawBody().contains(text)
                        && !r.rawBody().contains("simple_action"))
                .map(r -> r.body().path("model").asText()).toList();
    }
}
