package dev.steward.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.steward.config.DatabaseConfig;
import dev.steward.config.RoutingMode;
import dev.steward.memory.Category;
import dev.steward.memory.EntityCard;
import dev.steward.memory.Memory;
import dev.steward.memory.SqlMemorySearch;
import dev.steward.memory.FactCandidate;
import dev.steward.memory.PatternFactExtractor;
import dev.steward.router.ModelCallLog;
import dev.steward.router.RamTempDir;
import dev.steward.router.Router;
import dev.steward.router.ScriptedModel;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facts read by a model through the router, with the offline patterns behind it. */
class ModelFactExtractorTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;

    @BeforeEach
    void setUp() {
        database = Database.open(home, DatabaseConfig.embedded());
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void readsTheModelsJsonAnswer() {
        ScriptedModel model = new ScriptedModel().thenAnswer("""
                ```json
                {"facts":[{"subject":"us","attribute":"CFO","value":"Sarah","category":"people","confidence":0.9,
                 "update":true},{"subject":"user","attribute":"timezone","value":"CET","category":"preferences",
                 "confidence":0.6,"update":false}]}
                ```""");
        ModelFactExtractor extractor = new ModelFactExtractor(
                new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO), new PatternFactExtractor());

        List<FactCandidate> facts = extractor.extract("ann", "Sarah took over from John as our CFO; I'm on CET");

        assertThat(facts).containsExactly(
                new FactCandidate("us", "CFO", "Sarah", Category.PEOPLE, 0.9, true),
                new FactCandidate("user", "timezone", "CET", Category.PREFERENCES, 0.6, false));
        assertThat(model.lastRequest().jsonMode()).isTrue();
        database.flushBackgroundWrites();
        List<String> charged = database.jdbi().withHandle(h -> h.createQuery("SELECT user_id FROM model_calls")
                .mapTo(String.class).list());
        assertThat(charged).as("the call is charged to whoever spoke").containsExactly("ann");
        assertThat(model.lastRequest().messages().get(0).content()).contains("\"facts\"");
    }

    @Test
    void theModelsFactsLinkIntoTheSameEntitiesAsTheOfflineOnes() {
        String acme = "remember that my company is Acme Corp and Alice (alice@acme.com) is our CFO";
        ScriptedModel model = new ScriptedModel().thenAnswer("""
                {"facts":[{"subject":"user","attribute":"company","value":"Acme Corp","category":"company",
                 "confidence":0.9,"update":false},{"subject":"Alice","attribute":"email","value":"alice@acme.com",
                 "category":"people","confidence":0.9,"update":false},{"subject":"us","attribute":"CFO",
                 "value":"Alice","category":"people","confidence":0.9,"update":false}]}""");
        Memory withModel = new Memory(database, new SqlMemorySearch(database), new ModelFactExtractor(
                new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO), new PatternFactExtractor()),
                Clock.systemUTC());
        Memory offline = new Memory(database, new SqlMemorySearch(database), new PatternFactExtractor(),
                Clock.systemUTC());

        withModel.remember("ann", acme, Memory.SOURCE_MESSAGE, null);
        offline.remember("bob", acme, Memory.SOURCE_MESSAGE, null);

        for (String user : List.of("ann", "bob")) {
            EntityCard alice = withModel.entity(user, "Alice").orElseThrow();
            assertThat(alice.attributes()).as(user).extracting(EntityCard.Attribute::name, EntityCard.Attribute::value)
                    .containsExactlyInAnyOrder(tuple("email", "alice@acme.com"), tuple("role", "CFO"));
            assertThat(alice.relations()).as(user).extracting(EntityCard.Link::relation, EntityCard.Link::other)
                    .containsExactlyInAnyOrder(tuple("works_at", "Acme Corp"), tuple("role_at", "Acme Corp"));
        }
    }

    @Test
    void fallsBackToThePatternsWhenTheAnswerIsNotTheSchemaOrThereIsNoModel() {
        ScriptedModel model = new ScriptedModel().thenAnswer("Sure! Sarah is the CFO.");
        ModelFactExtractor garbled = new ModelFactExtractor(
                new Router(List.of(model), new ModelCallLog(database), RoutingMode.AUTO), new PatternFactExtractor());
        ModelFactExtractor offline = new ModelFactExtractor(
                new Router(List.of(), new ModelCallLog(database), RoutingMode.AUTO), new PatternFactExtractor());

        assertThat(garbled.extract("ann", "Sarah is our CFO now")).singleElement()
                .satisfies(c -> assertThat(c.value()).isEqualTo("Sarah"));
        assertThat(offline.extract("ann", "my company is Acme Corp")).singleElement()
                .satisfies(c -> assertThat(c.value()).isEqualTo("Acme Corp"));
    }
}
