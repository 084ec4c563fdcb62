package dev.steward.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingConfig;
import dev.steward.config.RoutingMode;
import dev.steward.config.SemanticCacheConfig;
import dev.steward.memory.Embedder;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic cache behind the router, with the production embedding model: a question that means the same as an
 * earlier one, in the same context, is answered without calling the model; anything else goes to the model.
 */
class SemanticCacheTest {
    static final Embedder MODEL = Embedder.production();
    static final String ROUTE = "test/scripted";
    @TempDir(factory = RamTempDir.class)
    static Path home;
    static Database database;
    static ModelCallLog log;

    ScriptedModel model;
    SemanticCache cache;
    Router router;

    @BeforeAll
    static void openDatabase() {
        database = Database.open(home, DatabaseConfig.embedded());
        log = new ModelCallLog(database);
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void newRouter() {
        model = new ScriptedModel().echoingWhenSpent();
        router = routerWith(new SemanticCacheConfig(List.of(ROUTE), null, null, null, List.of("web.search")));
    }

    Router routerWith(SemanticCacheConfig config) {
        cache = new SemanticCache(config, MODEL::embedQuery, Clock.systemUTC());
        Route route = new Route("test", "scripted", Locality.LOCAL, "local", 0, 0, 0, model);
        return new Router(RoutingConfig.defaults().withMode(RoutingMode.LOCAL), () -> List.of(route), log, null,
                cache, Clock.systemUTC());
    }

    static ChatRequest ask(String system, String question, Double temperature, List<ToolDefinition> tools) {
        return new ChatRequest(List.of(ChatMessage.system(system), ChatMessage.user(question)), tools, ROUTE,
                temperature, null, false);
    }

    static ChatRequest ask(String question) {
        return ask("You are a helpful assistant.", question, 0.0, List.of());
    }

    RoutedResponse send(ChatRequest request, String user) {
        return router.chat(request, CallContext.of(user));
    }

    @Test
    void aParaphraseOfAnAnsweredQuestionIsAnsweredFromTheCache() {
        model.thenAnswer("Paris.");
        send(ask("What is the capital of France?"), "ann");

        RoutedResponse again = send(ask("Which city is the capital of France?"), "ann");

        assertThat(again.cacheHit()).isTrue();
        assertThat(again.response().text()).isEqualTo("Paris.");
        assertThat(model.calls()).isEqualTo(1);
        assertThat(cache.counts()).containsExactly(new AnswerCache.Counts("semantic", 1, 1));
    }

    @Test
    void aDifferentQuestionGoesToTheModel() {
        model.thenAnswer("Jane Austen.").thenAnswer("Also Jane Austen, but it was asked.");
        send(ask("Who wrote Pride and Prejudice?"), "ann");

        RoutedResponse other = send(ask("What is the capital of France?"), "ann");

        assertThat(other.cacheHit()).isFalse();
        assertThat(model.calls()).isEqualTo(2);
        assertThat(cache.counts()).containsExactly(new AnswerCache.Counts("semantic", 0, 2));
    }

    @Test
    void theSameQuestionUnderAnotherSystemPromptGoesToTheModel() {
        model.thenAnswer("Paris.").thenAnswer("Paris, mon ami.");
        send(ask("You are a helpful assistant.", "What is the capital of France?", 0.0, List.of()), "ann");

        RoutedResponse other = send(ask("Answer in French.", "What is the capital of France?", 0.0, List.of()), "ann");

        assertThat(other.cacheHit()).isFalse();
        assertThat(other.response().text()).isEqualTo("Paris, mon ami.");
    }

    @Test
    void aRequestWithATemperatureAboveZeroNeverUsesTheCache() {
        model.thenAnswer("Paris.").thenAnswer("Paris, the city of light.");
        send(ask("What is the capital of France?"), "ann");

        RoutedResponse warm = send(ask("You are a helpful assistant.", "What is the capital of France?", 0.7, List.of()),
                "ann");

        assertThat(warm.cacheHit()).isFalse();
        assertThat(model.calls()).isEqualTo(2);
        assertThat(cache.eligible(ask("You are a helpful assistant.", "hi", null, List.of()))).isFalse();
    }

    @Test
    void aRequestOfferingAToolWithSideEffectsNeverUsesTheCache() {
        ToolDefinition send = new ToolDefinition("mail.send", "Sends mail", ScriptedModel.json("{\"type\":\"object\"}"));
        ToolDefinition search = new ToolDefinition("web.search", "Searches", ScriptedModel.json("{\"type\":\"object\"}"));
        model.thenAnswer("Sent.").thenAnswer("Sent again.").thenAnswer("Found.").thenAnswer("unused");
        send(ask("You mail for me.", "Mail Bob that I am late.", 0.0, List.of(send)), "ann");

        assertThat(send(ask("You mail for me.", "Mail Bob that I am late.", 0.0, List.of(send)), "ann").cacheHit())
                .isFalse();
        send(ask("You search for me.", "What is the capital of France?", 0.0, List.of(search)), "ann");
        assertThat(send(ask("You search for me.", "Which city is the capital of France?", 0.0, List.of(search)), "ann")
                .cacheHit()).as("a read-only tool listed in cache.semantic.read_only_tools").isTrue();
    }

    @Test
    void eachUserHasTheirOwnAnswersUnlessShared() {
        model.thenAnswer("Paris.").thenAnswer("Paris, for Bob.");
        send(ask("What is the capital of France?"), "ann");

        assertThat(send(ask("What is the capital of France?"), "bob").cacheHit()).isFalse();

        router = routerWith(new SemanticCacheConfig(List.of(ROUTE), null, null, true, null));
        model.thenAnswer("Paris, shared.");
        send(ask("What is the capital of France?"), "ann");
        assertThat(send(ask("Which city is the capital of France?"), "bob").response().text())
                .isEqualTo("Paris, shared.");
    }

    @Test
    void aRouteThatDidNotOptInIsNeverCached() {
        router = routerWith(new SemanticCacheConfig(List.of("other/model"), null, null, null, null));
        model.thenAnswer("Paris.").thenAnswer("Paris again.");
        send(ask("What is the capital of France?"), "ann");

        assertThat(send(ask("What is the capital of France?"), "ann").cacheHit()).isFalse();
        assertThat(cache.counts()).containsExactly(new AnswerCache.Counts("semantic", 0, 0));
    }
}
