package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.StewardProcess.Result;
import dev.steward.router.fake.FakeOpenAiServer;
import dev.steward.router.fake.FakeReply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/** steward secrets as a user runs it: the value from standard input, to the provider, nowhere in plain text. */
class SecretsCliTest {
    private static final String KEY = "sk-live-7f3a9c1e5b2d8e4f6a0b";

    @TempDir
    Path home;

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aSecretSetFromStdinReachesTheProviderAndIsNowhereInPlainTextUnderTheHome() throws Exception {
        try (FakeOpenAiServer server = FakeOpenAiServer.start()) {
            server.models("llama-3.1-8b-instruct").requireApiKey(KEY)
                    .enqueue(FakeReply.json("{\"intent\": \"question\"}"), FakeReply.text("Paris."),
                            FakeReply.json("{\"intent\": \"question\"}"))
                    .defaultReply(FakeReply.text("Rome."));
            StewardProcess steward = StewardProcess.in(home);

            Result set = steward.startWithInput(KEY + "\n", "secrets", "set", "LLM_KEY").finish();
            assertThat(set.exit()).as("%s", set).isZero();
            assertThat(set.out()).contains("Stored secret LLM_KEY").doesNotContain(KEY);
            Files.writeString(home.resolve("steward.yaml"), """
                    providers:
                      - name: local
                        kind: openai
                        base_url: %s
                        api_key: ${secret:LLM_KEY}
                    """.formatted(server.baseUrl()));

            Result asked = steward.run("ask", "what is the capital of France?");
            assertThat(asked.exit()).as("%s", asked).isZero();
            assertThat(asked.out()).contains("Paris.");
            Result listed = steward.run("secrets", "list");
            assertThat(listed.out().strip()).isEqualTo("LLM_KEY");
            Result rotated = steward.run("secrets", "rotate-key");
            assertThat(rotated.exit()).as("%s", rotated).isZero();
            Result afterRotation = steward.run("ask", "and of Italy?");
            assertThat(afterRotation.exit()).as("%s", afterRotation).isZero();
            assertThat(afterRotation.out()).contains("Rome.");

            assertThat(everyFileUnder(home)).isNotEmpty().allSatisfy((file) ->
                    assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as("%s", file).doesNotContain(KEY));
        }
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT)
    void aMissingSecretStopsWithTheFixAndRemoveForgetsOne() throws Exception {
        StewardProcess steward = StewardProcess.in(home);
        steward.run("doctor");
        Files.writeString(home.resolve("steward.yaml"), "providers:\n  - name: x\n    kind: openai\n    api_key: ${secret:GONE}\n");

        Result missing = steward.run("tools", "list");
        assertThat(missing.exit()).as("%s", missing).isEqualTo(Main.USAGE);
        assertThat(missing.err()).contains("providers.x.api_key", "GONE", "steward secrets set GONE");

        assertThat(steward.startWithInput("v", "secrets", "set", "GONE").finish().exit()).isZero();
        assertThat(steward.run("tools", "list").exit()).isZero();
        assertThat(steward.run("secrets", "remove", "GONE").exit()).isZero();
        Result again = steward.run("secrets", "remove", "GONE");
        assertThat(again.exit()).isEqualTo(Main.USAGE);
        assertThat(again.err()).contains("no secret named GONE");
    }

    private static java.util.List<Path> everyFileUnder(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
