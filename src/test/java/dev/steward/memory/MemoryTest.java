package dev.steward.memory;

import dev.steward.support.MovableClock;
import dev.steward.support.PrivacyFilter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.steward.config.DatabaseConfig;
import dev.steward.router.RamTempDir;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facts with history, contradictions, privacy, forgetting, isolation and export, on a real database. */
class MemoryTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;
    TermOverlapSearch search;
    MovableClock clock;
    Memory memory;


    @BeforeEach
    void setUp() {
        database = Database.open(home, DatabaseConfig.embedded());
        search = new TermOverlapSearch();
        clock = new MovableClock(Instant.parse("2026-01-10T09:00:00Z"));
        memory = new Memory(database, search, new PatternFactExtractor(), clock);
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void remembersAStatedFactAndRecallsIt() {
        Memory.Learned learned = memory.remember("ann", "remember that my company is Acme Corp", "message", null);

        assertThat(learned.stored()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("user");
            assertThat(f.attribute()).isEqualTo("company");
            assertThat(f.value()).isEqualTo("Acme Corp");
            assertThat(f.category()).isEqualTo(Category.COMPANY);
            assertThat(f.confidence()).isEqualTo(0.9);
            assertThat(f.current()).isTrue();
        });
        assertThat(learned.summary()).contains("I'll remember: Your company is Acme Corp");

        Memory.Recall recall = memory.recall("ann", "my company", 5);
        assertThat(recall.current()).extracting(Fact::value).containsExactly("Acme Corp");
        assertThat(recall.summary()).contains("Your company is Acme Corp");
        assertThat(memory.facts("ann", false).get(0).accessCount()).isEqualTo(1);
        assertThat(memory.entities("ann")).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("Acme Corp");
            assertThat(e.aliases()).contains("Acme");
        });
    }

    @Test
    void readsTheExplicitStatementsOfTheIssue() {
        PatternFactExtractor extractor = new PatternFactExtractor();
        assertThat(extractor.extract("Alice's email is alice@acme.com")).singleElement().satisfies(c -> {
            assertThat(c.subject()).isEqualTo("Alice");
            assertThat(c.attribute()).isEqualTo("email");
            assertThat(c.value()).isEqualTo("alice@acme.com");
            assertThat(c.category()).isEqualTo(Category.PEOPLE);
        });
        assertThat(extractor.extract("I prefer Vercel")).singleElement().satisfies(c -> {
            assertThat(c.attribute()).isEqualTo("prefers");
            assertThat(c.category()).isEqualTo(Category.PREFERENCES);
            assertThat(c.confidence()).isEqualTo(0.9);
        });
        assertThat(extractor.extract("John is our CFO")).singleElement().satisfies(c -> {
            assertThat(c.subject()).isEqualTo("us");
            assertThat(c.attribute()).isEqualTo("CFO");
            assertThat(c.value()).isEqualTo("John");
            assertThat(c.update()).isFalse();
        });
        assertThat(extractor.extract("Sarah is our CFO now")).singleElement().satisfies(c -> {
            assertThat(c.value()).isEqualTo("Sarah");
            assertThat(c.update()).isTrue();
        });
        assertThat(extractor.extract("Sarah has replaced John as CFO")).singleElement()
                .satisfies(c -> assertThat(c.update()).isTrue());
        assertThat(extractor.extract("I think we use HubSpot")).singleElement()
                .satisfies(c -> assertThat(c.confidence()).isEqualTo(0.6));
        assertThat(extractor.extract("what is the weather like?")).isEmpty();
    }

    @Test
    void anExplicitChangeClosesTheOldVersionAndKeepsItAsHistory() {
        memory.learn("ann", "John is our CFO", null, "t1", true);
        clock.advance(Duration.ofDays(30));

        Memory.Learned learned = memory.learn("ann", "Sarah is our CFO now", null, "t2", true);

        assertThat(learned.replaced()).extracting(Fact::value).containsExactly("John");
        assertThat(learned.summary()).contains("Updated: Sarah is your CFO");
        Memory.Recall recall = memory.recall("ann", "CFO", 5);
        assertThat(recall.current()).extracting(Fact::value).containsExactly("Sarah");
        assertThat(recall.history()).extracting(Fact::value).containsExactly("John");
        Fact john = recall.history().get(0);
        assertThat(john.validTo()).isEqualTo(clock.millis());
        assertThat(john.supersededBy()).isEqualTo(recall.current().get(0).id());
        assertThat(recall.summary()).contains("Sarah is your CFO", "History:", "John was your CFO (until 2026-02-09)");
        assertThat(memory.resolve("ann", "what does the CFO think?")).containsExactly("Sarah");
    }

    @Test
    void aBareConflictingStatementIsFlaggedNotApplied() {
        memory.learn("ann", "John is our CFO", null, "t1", true);

        Memory.Learned learned = memory.learn("ann", "Sarah is our CFO", null, "t2", true);

        assertThat(learned.stored()).isEmpty();
        assertThat(learned.contradictions()).singleElement().satisfies(c -> {
            assertThat(c.value()).isEqualTo("Sarah");
            assertThat(c.status()).isEqualTo(Contradiction.PENDING);
        });
        assertThat(learned.summary()).contains("contradicts", "Which is right?");
        assertThat(memory.recall("ann", "CFO", 5).current()).extracting(Fact::value).containsExactly("John");
        // Said again, it is the same question, not a second one.
        memory.learn("ann", "Sarah is our CFO", null, "t3", true);
        assertThat(memory.pendingContradictions("ann")).hasSize(1);

        memory.resolve("ann", memory.pendingContradictions("ann").get(0).id(), true);

        assertThat(memory.pendingContradictions("ann")).isEmpty();
        Memory.Recall recall = memory.recall("ann", "CFO", 5);
        assertThat(recall.current()).extracting(Fact::value).containsExactly("Sarah");
        assertThat(recall.history()).extracting(Fact::value).containsExactly("John");
    }

    @Test
    void aFactStatedDirectlyWithACardNumberIsLeftOutAndSaysSo() {
        Memory.Learned learned = memory.state("ann", Fact.USER, "card", "4111 1111 1111 1111", Category.OTHER);

        assertThat(learned.stored()).isEmpty();
        assertThat(learned.leftOut()).containsExactly(PrivacyFilter.CARD);
        assertThat(memory.facts("ann", true)).isEmpty();
    }

    @Test
    void neverStoresACardNumberAndSaysSo() {
        Memory.Learned learned = memory.remember("ann", "remember that my card is 4111 1111 1111 1111", "message",
                null);
        memory.learn("ann", "remember that my card is 4111 1111 1111 1111", "ok", "t1", true);

        assertThat(learned.stored()).isEmpty();
        assertThat(learned.leftOut()).containsExactly(PrivacyFilter.CARD);
        assertThat(learned.summary()).contains("left out a card number");
        String everything = Json.write(memory.export("ann")) + memory.exportMarkdown("ann")
                + search.documents.values();
        assertThat(everything).doesNotContain("4111 1111", "4111111111111111").doesNotContain("1111 1111");
    }

    @Test
    void thePrivacyFilterKnowsTheKindsOfSecrets() {
        PrivacyFilter filter = new PrivacyFilter();
        assertThat(filter.sensitive("my card is 4111-1111-1111-1111")).containsExactly(PrivacyFilter.CARD);
        assertThat(filter.sensitive("order 4111 1111 1111 1112")).isEmpty(); // fails the Luhn check
        assertThat(filter.sensitive("my SSN is 123-45-6789")).contains(PrivacyFilter.NATIONAL_ID);
        assertThat(filter.sensitive("the wifi password is hunter22")).containsExactly(PrivacyFilter.SECRET);
        assertThat(filter.sensitive("use sk-proj-abcdefghijklmnop1234")).containsExactly(PrivacyFilter.API_KEY);
        assertThat(filter.sensitive("my api key is AbCdEf123456789xyz")).containsExactly(PrivacyFilter.API_KEY);
        assertThat(filter.sensitive("I was diagnosed with diabetes")).containsExactly(PrivacyFilter.HEALTH);
        assertThat(filter.sensitive("my company is Acme Corp")).isEmpty();

        assertThat(filter.redact("my card is 4111 1111 1111 1111, order 1234567890123"))
                .isEqualTo("my card is [card number removed], order 1234567890123");
        assertThat(filter.redact("SSN 123-45-6789; the wifi password is hunter22 ok; api key: AbCdEf123456789xyz"))
                .isEqualTo("SSN [national ID number removed]; the wifi password is [password or secret removed] ok; "
                        + "api key: [API key or token removed]");
        assertThat(filter.redact("use sk-proj-abcdefghijklmnop1234 please")).isEqualTo("use [API key or token removed] please");

        PrivacyFilter.Filtered filtered = filter.filter("My company is Acme. My password is swordfish. I like tea.");
        assertThat(filtered.text()).isEqualTo("My company is Acme. I like tea.");
        assertThat(filtered.removed()).containsExactly(PrivacyFilter.SECRET);
    }

    @Test
    void forgetsAFactWithItsHistoryAndTheExchangesThatMentionIt() {
        memory.learn("ann", "remember that my company is Acme Corp", "I'll remember", "t1", true);
        memory.remember("ann", "I prefer Vercel", "message", null);

        Memory.Forgotten forgotten = memory.forget("ann", "my company");

        assertThat(forgotten.facts()).extracting(Fact::value).containsExactly("Acme Corp");
        assertThat(forgotten.episodes()).isEqualTo(1);
        assertThat(memory.recall("ann", "my company", 5).isEmpty()).isTrue();
        assertThat(memory.facts("ann", true)).extracting(Fact::value).containsExactly("Vercel");
        assertThat(search.documents.values()).noneMatch(d -> d.text().contains("Acme"));
    }

    @Test
    void oneUsersMemoriesNeverReachAnother() {
        memory.remember("ann", "remember that my company is Acme Corp", "message", null);
        memory.learn("ann", "our launch is on Friday", "noted", "t1", true);
        memory.remember("bob", "remember that my company is Globex", "message", null);

        assertThat(memory.recall("bob", "my company", 10).current()).extracting(Fact::value)
                .containsExactly("Globex");
        assertThat(memory.recall("bob", "launch Friday", 10).isEmpty()).isTrue();
        assertThat(memory.facts("bob", true)).extracting(Fact::userId).containsOnly("bob");
        assertThat(Json.write(memory.export("bob"))).doesNotContain("Acme", "launch");
        assertThat(memory.exportMarkdown("bob")).doesNotContain("Acme");
        assertThat(memory.forget("bob", "Acme").facts()).isEmpty();
        memory.clear("bob");
        assertThat(memory.recall("ann", "my company", 10).current()).extracting(Fact::value)
                .containsExactly("Acme Corp");

        SqlMemorySearch sql = new SqlMemorySearch(database);
        Memory onSql = new Memory(database, sql, new PatternFactExtractor(), clock);
        onSql.reindex("ann");
        onSql.remember("bob", "remember that my company is Globex", "message", null);
        assertThat(sql.search(MemoryQuery.of("bob", "company", 10))).extracting(h -> h.document().userId())
                .containsOnly("bob").isNotEmpty();
        assertThat(onSql.recall("bob", "Acme", 10).isEmpty()).isTrue();
        assertThat(onSql.recall("ann", "my company", 10).current()).extracting(Fact::value)
                .containsExactly("Acme Corp");
    }

    @Test
    void exportThenImportIntoAnEmptyHomeReproducesEveryFactAndItsHistory(@TempDir(factory = RamTempDir.class)
                                                                        Path other) {
        memory.remember("ann", "remember that my company is Acme Corp", "message", "m1");
        memory.learn("ann", "John is our CFO", "ok", "t1", true);
        clock.advance(Duration.ofDays(3));
        memory.learn("ann", "Sarah is our CFO now", "ok", "t2", true);
        memory.learn("ann", "Mark is our CFO", "ok", "t3", true); // pending contradiction
        memory.setCoreBlock("ann", "human", "Ann runs a bakery supply business.");
        JsonNode exported = Json.parse(Json.write(memory.export("ann")));

        try (Database empty = Database.open(other, DatabaseConfig.embedded())) {
            TermOverlapSearch otherSearch = new TermOverlapSearch();
            Memory restored = new Memory(empty, otherSearch, new PatternFactExtractor(), clock);
            Memory.Imported imported = restored.importJson("ann", exported);

            assertThat(imported.facts()).isEqualTo(3);
            assertThat(restored.facts("ann", true)).isEqualTo(memory.facts("ann", true));
            assertThat(restored.entities("ann")).isEqualTo(memory.entities("ann"));
            assertThat(restored.relations("ann")).isEqualTo(memory.relations("ann"));
            assertThat(restored.episodes("ann")).isEqualTo(memory.episodes("ann"));
            assertThat(restored.coreBlocks("ann")).isEqualTo(memory.coreBlocks("ann"));
            assertThat(restored.pendingContradictions("ann")).isEqualTo(memory.pendingContradictions("ann"));
            JsonNode again = Json.parse(Json.write(restored.export("ann")));
            assertThat(again.path("facts")).isEqualTo(exported.path("facts"));
            Memory.Recall recall = restored.recall("ann", "CFO", 5);
            assertThat(recall.current()).extracting(Fact::value).containsExactly("Sarah");
            assertThat(recall.history()).extracting(Fact::value).containsExactly("John");
            // Importing twice adds nothing.
            assertThat(restored.importJson("ann", exported).facts()).isZero();
        }
        assertThat(memory.exportMarkdown("ann")).contains("# What Steward remembers about ann", "### people",
                "- Sarah is your CFO", "history: John was your CFO", "Ann runs a bakery", "Waiting for you");
    }

    @Test
    void respectsTheUsersSettings() {
        memory.updateSettings(new MemorySettings("ann", true, Set.of(Category.PEOPLE), 180));
        Memory.Learned blocked = memory.learn("ann", "John is our CFO", null, "t1", true);
        assertThat(blocked.stored()).isEmpty();
        assertThat(blocked.blocked()).containsExactly(Category.PEOPLE);

        memory.updateSettings(new MemorySettings("ann", false, Set.of(), 180));
        Memory.Learned off = memory.remember("ann", "remember that my company is Acme", "message", null);
        assertThat(off.disabled()).isTrue();
        assertThat(memory.facts("ann", true)).isEmpty();
        assertThat(memory.episodes("ann")).hasSize(1); // the one from before memory was turned off
        assertThat(new MemoryContext(memory).assemble("ann", "my company", 500)).isEmpty();
    }

    @Test
    void aSettingsChangeIsSeenAtOnceHereAndWithinASecondByAnotherProcess() {
        Memory elsewhere = new Memory(database, new TermOverlapSearch(), new PatternFactExtractor(), clock);
        assertThat(memory.settings("ann").enabled()).isTrue(); // read, and kept for a while

        elsewhere.updateSettings(new MemorySettings("ann", false, Set.of(), 180)); // say, steward memory settings
        assertThat(elsewhere.settings("ann").enabled()).as("the writer's own store").isFalse();
        await().atMost(Duration.ofSeconds(5)).until(() -> !memory.settings("ann").enabled());
        assertThat(memory.learn("ann", "John is our CFO", null, "t1", true).disabled()).isTrue();

        memory.updateSettings(new MemorySettings("ann", true, Set.of(), 180));
        assertThat(memory.learn("ann", "John is our CFO", null, "t2", true).disabled()).isFalse();
        memory.clear("ann");
        assertThat(memory.settings("ann")).as("cleared with the rest").isEqualTo(MemorySettings.defaults("ann"));
    }

    @Test
    void forgetsFactsNobodyUsedForTheExpiry() {
        memory.remember("ann", "remember that my company is Acme Corp", "message", null);
        clock.advance(Duration.ofDays(100));
        memory.remember("ann", "I prefer Vercel", "message", null);
        clock.advance(Duration.ofDays(90));

        assertThat(memory.expire("ann")).isEqualTo(1);

        assertThat(memory.facts("ann", true)).extracting(Fact::value).containsExactly("Vercel");
    }

    @Test
    void theContextPacksCoreBlocksAndRelevantFactsIntoTheBudget() {
        memory.setCoreBlock("ann", "human", "Ann, founder of a bakery supplier.");
        memory.remember("ann", "remember that my company is Acme Corp", "message", null);
        memory.learn("ann", "John is our CFO", null, "t1", true);
        for (int i = 0; i < 40; i++) {
            memory.remember("ann", "remember that project " + i + " ships in spring", "message", null);
        }
        MemoryContext context = new MemoryContext(memory);

        String text = context.assemble("ann", "draft a note to the CFO", 300);

        assertThat(text).startsWith(MemoryContext.HEADER).contains("[core:human] Ann, founder")
                .containsPattern("\\[fact:[0-9a-z]{10}\\] John is your CFO");
        assertThat(MemoryContext.tokens(text)).isLessThanOrEqualTo(300 + 10);
        assertThat(context.assemble("nobody", "hello", 300)).isEmpty();
    }

    @Test
    void theCoreBlocksArePartApartFromWhatIsRecalledSoThatAProviderCanCacheThem() {
        memory.setCoreBlock("ann", "human", "Ann, founder of a bakery supplier.");
        memory.learn("ann", "John is our CFO", null, "t1", true);
        MemoryContext context = new MemoryContext(memory);

        MemoryContext.Parts forCfo = context.assembleParts("ann", "draft a note to the CFO", 300);
        MemoryContext.Parts forLunch = context.assembleParts("ann", "where shall we have lunch", 300);

        assertThat(forCfo.core()).startsWith(MemoryContext.HEADER).contains("[core:human] Ann, founder")
                .doesNotContain("[fact:");
        assertThat(forCfo.recalled()).containsPattern("^\\[fact:[0-9a-z]{10}\\] John is your CFO");
        assertThat(forLunch.core()).as("the same for every request").isEqualTo(forCfo.core());
        assertThat(forCfo.text()).isEqualTo(context.assemble("ann", "draft a note to the CFO", 300));
        assertThat(context.assembleParts("nobody", "hello", 300)).isEqualTo(MemoryContext.Parts.NONE);
    }

    @Test
    void coreBlocksAreEditableAndGuarded() {
        assertThat(memory.coreBlocks("ann")).extracting(CoreBlock::name).containsExactly("persona");
        memory.setCoreBlock("ann", "persona", "Be terse.");
        assertThat(memory.coreBlocks("ann")).extracting(CoreBlock::body).containsExactly("Be terse.");
        assertThatThrownBy(() -> memory.setCoreBlock("ann", "human", "my password is hunter22"))
                .hasMessageContaining("password");
        assertThatThrownBy(() -> memory.setCoreBlock("ann", "secrets", "x")).hasMessageContaining("persona");
        List<CoreBlock> blocks = memory.coreBlocks("bob");
        assertThat(blocks).extracting(CoreBlock::body).containsExactly(Memory.DEFAULT_PERSONA);
    }

    @Test
    void onTheProductionIndexForgottenIsGoneAndALostIndexIsRebuiltFromTheStore() {
        Path indexDir = home.resolve("index");
        try (MemoryIndex index = new MemoryIndex(indexDir, Embedder.hashing(64), Ranking.defaults(), clock)) {
            Memory onIndex = new Memory(database, index, new PatternFactExtractor(), clock);
            onIndex.remember("ann", "remember that my company is Acme Corp", "message", null);
            onIndex.learn("ann", "the launch is on Friday", "noted", "t1", true);
            onIndex.remember("bob", "remember that my company is Globex", "message", null);

            assertThat(index.search(MemoryQuery.of("ann", "company", 10))).extracting(h -> h.document().text())
                    .anyMatch(t -> t.contains("Acme Corp")).noneMatch(t -> t.contains("Globex"));
            onIndex.forget("ann", "my company");
            assertThat(index.search(MemoryQuery.of("ann", "Acme company", 10))).extracting(h -> h.document().text())
                    .noneMatch(t -> t.contains("Acme"));
            assertThat(index.search(MemoryQuery.of("bob", "company", 10))).isNotEmpty();
        }
        deleteTree(indexDir);
        try (MemoryIndex rebuilt = new MemoryIndex(indexDir, Embedder.hashing(64), Ranking.defaults(), clock)) {
            assertThat(rebuilt.created()).isTrue();
            Memory onIndex = new Memory(database, rebuilt, new PatternFactExtractor(), clock);
            assertThat(onIndex.reindexAll()).containsOnlyKeys("ann", "bob");
            assertThat(rebuilt.search(MemoryQuery.of("ann", "launch Friday", 10))).extracting(h -> h.document().kind())
                    .contains("episode");
            assertThat(rebuilt.search(MemoryQuery.of("bob", "company", 10))).extracting(h -> h.document().text())
                    .anyMatch(t -> t.contains("Globex"));
            assertThat(rebuilt.search(MemoryQuery.of("ann", "Acme company", 10))).extracting(h -> h.document().text())
                    .noneMatch(t -> t.contains("Acme"));
        }
    }

    @Test
    void anExchangeIsFoundThroughTheOneBeforeItInTheSameSittingAndForgettingRewritesThatContext() {
        Path indexDir = home.resolve("index");
        try (MemoryIndex index = new MemoryIndex(indexDir, Embedder.hashing(64), Ranking.defaults(), clock)) {
            Memory onIndex = new Memory(database, index, new PatternFactExtractor(), clock);
            onIndex.learn("ann", "we are planning the offsite in Lisbon", "noted", null, false);
            clock.advance(Duration.ofMinutes(5));
            onIndex.learn("ann", "book the hotel near the venue for Thursday", "booked", null, false);
            clock.advance(Duration.ofHours(3));
            onIndex.learn("ann", "order more printer paper", "ordered", null, false);

            MemoryDocument booking = episodeSaying(index, "hotel Lisbon", "book the hotel");
            assertThat(booking.context()).contains("offsite in Lisbon").contains("book the hotel");
            assertThat(booking.conversation()).contains("offsite in Lisbon");
            // three hours later is another sitting
            assertThat(episodeSaying(index, "printer paper", "printer paper").context()).isNull();

            onIndex.reindexAll();
            assertThat(episodeSaying(index, "hotel Lisbon", "book the hotel").context()).contains("Lisbon");

            onIndex.forget("ann", "Lisbon offsite");
            MemoryDocument after = episodeSaying(index, "hotel Thursday", "book the hotel");
            assertThat(after.context()).isNull();
            assertThat(after.conversation()).isNull();
        }
    }

    private static MemoryDocument episodeSaying(MemoryIndex index, String query, String words) {
        return index.search(MemoryQuery.of("ann", query, 10)).stream().map(MemoryHit::document)
                .filter(d -> d.text().contains(words)).findFirst().orElseThrow();
    }

    private static void deleteTree(Path dir) {
        try (var paths = java.nio.file.Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
