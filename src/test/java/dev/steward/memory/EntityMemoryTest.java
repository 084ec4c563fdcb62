package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.steward.config.DatabaseConfig;
import dev.steward.router.RamTempDir;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entities with attributes and relations, built from what was said, and the questions they answer offline. */
class EntityMemoryTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    Memory memory;

    @BeforeEach
    void setUp() {
        database = Database.open(home, DatabaseConfig.embedded());
        memory = new Memory(database, new TermOverlapSearch(), new PatternFactExtractor(),
                Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void theAcmeSentenceGivesAliceHerEmailHerRoleAndHerEmployer() {
        Memory.Learned learned = memory.remember("ann",
                "remember that my company is Acme Corp and Alice (alice@acme.com) is our CFO", "message", null);

        assertThat(learned.stored()).hasSize(3);
        EntityCard alice = memory.entity("ann", "alice").orElseThrow();
        assertThat(alice.entity().type()).isEqualTo("person");
        assertThat(alice.attributes()).extracting(EntityCard.Attribute::name, EntityCard.Attribute::value)
                .contains(tuple("email", "alice@acme.com"), tuple("role", "CFO"));
        assertThat(alice.relations()).extracting(EntityCard.Link::relation, EntityCard.Link::other,
                        EntityCard.Link::detail)
                .contains(tuple("works_at", "Acme Corp", null), tuple("role_at", "Acme Corp", "CFO"));
        assertThat(alice.facts()).hasSize(2);
        assertThat(memory.entity("ann", "Acme").orElseThrow().entity().name()).as("the alias").isEqualTo("Acme Corp");
    }

    @Test
    void theWordsOfAMessageResolveToTheEntitiesTheyNameOrAlias() {
        memory.remember("ann", "remember that my company is Acme Corp and Alice (alice@acme.com) is our CFO",
                "message", null);

        assertThat(memory.resolve("ann", "did alice send the acme invoice?")).containsExactly("Alice", "Acme Corp");
        assertThat(memory.resolve("ann", "what about acme and alice")).containsExactly("Acme Corp", "Alice");
        assertThat(memory.resolve("bob", "did alice send the acme invoice?")).as("another user's").isEmpty();
        assertThat(memory.resolve("ann", "nothing known here")).isEmpty();
    }

    @Test
    void whatWasSaidAboutUsBeforeTheCompanyWasNamedLinksOnceItIs() {
        memory.remember("ann", "Globex is our customer", "message", null);
        assertThat(memory.relations("ann")).isEmpty();

        memory.remember("ann", "our company is Acme Corp", "message", null);

        EntityCard globex = memory.entity("ann", "Globex").orElseThrow();
        assertThat(globex.entity().type()).isEqualTo("company");
        assertThat(globex.relations()).extracting(EntityCard.Link::relation, EntityCard.Link::other)
                .containsExactly(tuple("customer_of", "Acme Corp"));
    }

    @Test
    void questionsAboutPeopleAreAnsweredFromTheEntities() {
        memory.remember("ann", "my company is Acme Corp and Alice (alice@acme.com) is our CFO", "message", null);
        memory.remember("ann", "Bob leads our sales team and Carol reports to Bob", "message", null);
        memory.remember("ann", "Dana is our head of marketing", "message", null);

        assertThat(memory.recall("ann", "who leads our sales team?", 5).summary())
                .contains("Bob leads sales team").doesNotContain("Alice");
        assertThat(memory.recall("ann", "what is Alice's email?", 5).current()).singleElement()
                .satisfies(f -> assertThat(f.value()).isEqualTo("alice@acme.com"));
        assertThat(memory.recall("ann", "who runs marketing", 5).current()).singleElement()
                .satisfies(f -> assertThat(f.value()).isEqualTo("Dana"));
        assertThat(memory.recall("ann", "who reports to Bob?", 5).current()).singleElement()
                .satisfies(f -> assertThat(f.subject()).isEqualTo("Carol"));
        assertThat(memory.recall("ann", "who is Alice?", 5).summary()).contains("alice@acme.com", "Alice is your CFO");
        assertThat(memory.recall("zed", "who leads our sales team?", 5).isEmpty()).as("another user's").isTrue();
    }

    @Test
    void aChangedRoleEndsTheOldRelationAndAContradictionStaysPending() {
        memory.remember("ann", "my company is Acme Corp. John is our CFO", "message", null);
        memory.remember("ann", "Mark is our CFO", "message", null);
        assertThat(memory.pendingContradictions("ann")).singleElement()
                .satisfies(c -> assertThat(c.value()).isEqualTo("Mark"));

        memory.remember("ann", "Sarah is our CFO now", "message", null);

        EntityCard john = memory.entity("ann", "John").orElseThrow();
        assertThat(john.relations()).extracting(EntityCard.Link::relation).doesNotContain("role_at");
        assertThat(john.endedRelations()).extracting(EntityCard.Link::relation, EntityCard.Link::detail)
                .containsExactly(tuple("role_at", "CFO"));
        assertThat(john.history()).singleElement().satisfies(f -> assertThat(f.current()).isFalse());
        assertThat(memory.entity("ann", "Sarah").orElseThrow().attributes())
                .extracting(EntityCard.Attribute::name, EntityCard.Attribute::value).contains(tuple("role", "CFO"));
        assertThat(memory.entityCards("ann")).extracting(c -> c.entity().name())
                .contains("Acme Corp", "John", "Sarah");
    }

    @Test
    void forgettingTheFactsForgetsTheEntitiesOnlyTheyNamed() {
        memory.remember("ann", "my company is Acme Corp and our office is in Hamburg", "message", null);
        assertThat(memory.entity("ann", "Hamburg")).isPresent();

        memory.forget("ann", "office");

        assertThat(memory.entity("ann", "Hamburg")).isEmpty();
        assertThat(memory.entity("ann", "Acme")).isPresent();
        assertThat(memory.relations("ann")).isEmpty();
    }
}
