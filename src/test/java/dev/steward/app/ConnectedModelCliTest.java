package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.app.StewardProcess.Result;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.support.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steward with a real model connected the way users connect one: OPENAI_BASE_URL and OPENAI_API_KEY. */
class ConnectedModelCliTest {
    @TempDir
    Path home;

    @Test
    void askAnswersThroughAnOpenAiCompatibleServerAndStatsShowTheCall() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.models("llama-3.1-8b-instruct").requireApiKey("sk-local-test")
                    .defaultReply(FakeReply.text("Paris is the capital of France.").usage(21, 8));
            StewardProcess steward = StewardProcess.in(home)
                    .with("OPENAI_BASE_URL", server.baseUrl()).with("OPENAI_API_KEY", "sk-local-test");

            Result asked = steward.run("ask", "what is the capital of France?");
            Result stats = steward.run("stats", "--json");
            Result models = steward.run("models");

            assertThat(asked.exit()).as("%s", asked).isZero();
            assertThat(asked.out().strip()).isEqualTo("Paris is the capital of France.");
            assertThat(asked.err()).doesNotContain("offline");
            JsonNode allTime = Json.parse(stats.out()).path("all_time");
            assertThat(allTime.path("models")).singleElement().satisfies(model -> {
                assertThat(model.path("provider").asText()).isEqualTo("openai");
                assertThat(model.path("model").asText()).isEqualTo("llama-3.1-8b-instruct");
                assertThat(model.path("tokens_in").asLong()).isEqualTo(21);
                assertThat(model.path("tokens_out").asLong()).isEqualTo(8);
                assertThat(model.has("cost_micros")).isTrue();
            });
            assertThat(models.out()).contains("openai/default", "local", "ok (");
        }
    }

    @Test
    void aServerThatIsDownFailsTheTaskWithTheReasonInsteadOfPretendingToBeOffline() {
        Result asked = StewardProcess.in(home).with("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
                .run("ask", "summarise my inbox");

        assertThat(asked.exit()).as("%s", asked).isEqualTo(Main.TASK_FAILED);
        assertThat(asked.err()).contains("cannot connect to http://127.0.0.1:9", "is the server running?");
    }
}
