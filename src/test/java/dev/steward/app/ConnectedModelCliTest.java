package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.app.StewardProcess.Result;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import dev.steward.support.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/** Steward with a real model connected the way users connect one: OPENAI_BASE_URL and OPENAI_API_KEY. */
class ConnectedModelCliTest {
    @TempDir
    Path home;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void askAnswersThroughAnOpenAiCompatibleServerAndStatsShowTheCall() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.models("llama-3.1-8b-instruct").requireApiKey("sk-local-test")
                    .enqueue(FakeReply.json("{\"intent\": \"question\"}").usage(30, 5)) // the intent, first
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
                assertThat(model.path("calls").asLong()).as("the intent, then the answer").isEqualTo(2);
                assertThat(model.path("tokens_in").asLong()).isEqualTo(30 + 21);
                assertThat(model.path("tokens_out").asLong()).isEqualTo(5 + 8);
                assertThat(model.has("cost_micros")).isTrue();
            });
            assertThat(models.out()).contains("openai/default", "local", "ok (");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aComplexTaskShowsItsPlanStepsAndReviewsLiveAndInItsHistory() {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.models("llama-3.1-8b-instruct").enqueue(
                    FakeReply.json("{\"intent\": \"complex_task\"}"),
                    FakeReply.json("{\"steps\": [{\"goal\": \"List the suppliers\", \"agent\": \"research\", "
                            + "\"estimate_seconds\": 20}, {\"goal\": \"Draft the comparison\", \"agent\": \"research\", "
                            + "\"estimate_seconds\": 40}]}"),
                    FakeReply.text("Millers, Oakmill."),
                    FakeReply.json("{\"verdict\": \"pass\", \"feedback\": \"both named\"}"),
                    FakeReply.text("Millers is cheaper."),
                    FakeReply.json("{\"verdict\": \"revise\", \"feedback\": \"give the prices\"}"),
                    FakeReply.text("Millers: $30 a sack; Oakmill: $34."),
                    FakeReply.json("{\"verdict\": \"pass\", \"feedback\": \"complete\"}"));
            StewardProcess steward = StewardProcess.in(home).with("OPENAI_BASE_URL", server.baseUrl());

            Result asked = steward.run("ask", "compare our two flour suppliers");

            assertThat(asked.exit()).as("%s", asked).isZero();
            assertThat(asked.out()).contains("Step 1 — List the suppliers:\nMillers, Oakmill.",
                    "Step 2 — Draft the comparison:\nMillers: $30 a sack; Oakmill: $34.");
            assertThat(asked.err()).contains("Manager    · Plan: 2 steps", "1. List the suppliers (research, ~20 s)",
                    "Employee   · Step 1 of 2: List the suppliers (research), about 60 s left",
                    "Supervisor · Pass: both named", "Employee   · Step 2 of 2: Draft the comparison",
                    "Supervisor · Iteration 2/3: refining after review — give the prices",
                    "Supervisor · Pass: complete");
            String id = Json.parse(steward.run("tasks", "list", "--json").out()).get(0).path("id").asText();
            Result show = steward.run("tasks", "show", id);
            assertThat(show.out()).contains("Plan:    1. List the suppliers (research)", "plan", "step", "review",
                    "Iteration 2/3: refining after review", "done");
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aServerThatIsDownFailsTheTaskWithTheReasonInsteadOfPretendingToBeOffline() {
        Result asked = StewardProcess.in(home).with("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
                .run("ask", "summarise my inbox");

        assertThat(asked.exit()).as("%s", asked).isEqualTo(Main.TASK_FAILED);
        assertThat(asked.err()).contains("cannot connect to http://127.0.0.1:9", "is the server running?");
    }
}
