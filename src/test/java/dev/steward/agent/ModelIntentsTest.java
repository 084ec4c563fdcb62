package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.router.CallContext;
import dev.steward.router.ChatMessage;
import dev.steward.router.ModelCallLog;
import dev.steward.router.RamTempDir;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a model configured, a message is classified by one small JSON call; the offline classifier stands in. */
class ModelIntentsTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    ScriptedModel model = new ScriptedModel();
    IntentClassifier classifier;

    @BeforeEach
    void setUp() {
        database = Database.open(home, DatabaseConfig.embedded());
        Router router = new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO);
        classifier = IntentClassifier.model(router, (text, history, context) -> Intent.QUESTION);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void asksTheModelForJsonWithTheRecentConversation() {
        model.thenAnswer("```json\n{\"intent\": \"clarification\"}\n```");
        List<ChatMessage> history = List.of(ChatMessage.user("draft the invoice email"),
                ChatMessage.assistant("Here is a draft: …"));

        Intent intent = classifier.classify("make it shorter", history, CallContext.of("ann"));

        assertThat(intent).isEqualTo(Intent.CLARIFICATION);
        assertThat(model.lastRequest().jsonMode()).isTrue();
        assertThat(model.lastRequest().messages()).extracting(ChatMessage::content)
                .containsSubsequence("draft the invoice email", "Here is a draft: …", "make it shorter");
    }

    @Test
    void fallsBackWhenTheModelFailsOrAnswersSomethingElse() {
        model.thenFail("provider down").thenAnswer("I think it is a question").thenAnswer("{\"intent\": \"poetry\"}");

        assertThat(classifier.classify("what is VAT?", List.of(), CallContext.of("ann"))).isEqualTo(Intent.QUESTION);
        assertThat(classifier.classify("what is VAT?", List.of(), CallContext.of("ann"))).isEqualTo(Intent.QUESTION);
        assertThat(classifier.classify("what is VAT?", List.of(), CallContext.of("ann"))).isEqualTo(Intent.QUESTION);
    }
}
