package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.DatabaseConfig;
import dev.steward.store.Database;
import dev.steward.support.MovableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upkeep on a real database and index: what a check finds, what --apply changes, and that undo puts it back. */
class MemoryUpkeepTest {
    static final String USER = "local";

    @TempDir
    Path home;
    final MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Database database;
    MemoryIndex index;
    Memory memory;
    MemoryStore store;
    MemoryUpkeep upkeep;
    Fact acme;
    Fact acmeTwin;
    Fact globex;
    Fact dentist;

    @BeforeEach
    void open() {
        database = Database.open(home, DatabaseConfig.embedded());
        index = new MemoryIndex(home.resolve("index"), Embedder.hashing(64), Ranking.defaults(), clock);
        memory = new Memory(database, index, new PatternFactExtractor(), clock);
        store = new MemoryStore(database);
        upkeep = new MemoryUpkeep(database, memory, clock);

        memory.remember(USER, "remember that my dentist is Dr Quill", Memory.SOURCE_MESSAGE, null);
        dentist = only("dentist");
        clock.advance(Duration.ofDays(200));
        memory.remember(USER, "remember that my company is Acme Corp", Memory.SOURCE_MESSAGE, null);
        acme = only("company");
        // what an import or two processes writing at once can leave: the same value twice, and a second value
        acmeTwin = fact("acme-twin", "Acme Corp.", clock.millis() + 1);
        globex = fact("globex", "Globex", clock.millis() + 2);
        store.insertEntity(new Entity("initech", USER, "Initech", "company", List.of(), clock.millis()));
        index.delete(USER, dentist.id()); // the index lost a memory
    }

    @AfterEach
    void close() {
        index.close();
        database.close();
    }

    @Test
    void aCheckNamesEachProblemAndItsFixAndChangesNothing() {
        MemoryUpkeep.Report report = upkeep.check(USER, MemoryUpkeep.DEFAULT_STALE_AFTER);

        assertThat(report.findings()).extracting(f -> f.kind() + " " + f.targetId()).contains(
                "DUPLICATE acme-twin", "SUPERSEDED " + acme.id(), "STALE " + dentist.id(), "ORPHAN_ENTITY initech",
                "INDEX_DRIFT local");
        assertThat(report.findings()).filteredOn(f -> f.kind() == MemoryUpkeep.Kind.SUPERSEDED).singleElement()
                .satisfies(f -> assertThat(f.keepId()).isEqualTo("globex"));
        assertThat(report.summary()).contains("stored twice").contains("both current").contains("last confirmed or"
                + " used on 2026-01-01").contains("Initech").contains("nothing was changed");
        assertThat(store.facts(USER, false)).extracting(Fact::id).contains(acme.id(), "acme-twin", "globex",
                dentist.id());
        assertThat(memory.indexDrift()).isNotEmpty();
    }

    @Test
    void applyClosesFactsIntoHistoryRemovesOrphansRebuildsTheIndexAndUndoPutsItAllBack() {
        MemoryUpkeep.Report run = upkeep.apply(USER, MemoryUpkeep.DEFAULT_STALE_AFTER);

        assertThat(run.changes()).isGreaterThanOrEqualTo(5);
        assertThat(store.facts(USER, false)).extracting(Fact::id).contains("globex")
                .doesNotContain(acme.id(), "acme-twin", dentist.id());
        assertThat(store.facts(USER, true)).filteredOn(f -> f.id().equals(acme.id())).singleElement()
                .satisfies(f -> assertThat(f.supersededBy()).isEqualTo("globex"));
        assertThat(memory.recall(USER, "what is my company?", 5).current()).extracting(Fact::value)
                .containsExactly("Globex");
        assertThat(store.entities(USER)).extracting(Entity::name).doesNotContain("Initech");
        assertThat(memory.indexDrift()).isEmpty();
        assertThat(upkeep.check(USER, MemoryUpkeep.DEFAULT_STALE_AFTER).findings()).extracting(MemoryUpkeep.Finding::kind)
                .doesNotContain(MemoryUpkeep.Kind.DUPLICATE, MemoryUpkeep.Kind.SUPERSEDED, MemoryUpkeep.Kind.STALE,
                        MemoryUpkeep.Kind.INDEX_DRIFT);

        MemoryUpkeep.Undone undone = upkeep.undo(USER, run.runId());

        assertThat(undone.restored()).isEqualTo(run.changes());
        assertThat(store.facts(USER, false)).extracting(Fact::id).contains(acme.id(), "acme-twin", "globex",
                dentist.id());
        assertThat(store.entities(USER)).extracting(Entity::name).contains("Initech");
        assertThat(upkeep.undo(USER, run.runId()).restored()).as("a run is undone once").isZero();
        assertThatThrownBy(() -> upkeep.undo(USER, "nosuchrun")).hasMessageContaining("no upkeep run 'nosuchrun'");
        assertThatThrownBy(() -> upkeep.undo("someone-else", run.runId())).hasMessageContaining("no upkeep run");
    }

    @Test
    void aFactUsedRecentlyIsNotStaleAndATidyMemoryIsSaidToBeSo() {
        memory.reindex(USER);
        clock.advance(Duration.ofDays(1));
        assertThat(memory.recall(USER, "my dentist", 5).current()).extracting(Fact::id).contains(dentist.id());
        // using a fact confirms it

        assertThat(upkeep.check(USER, MemoryUpkeep.DEFAULT_STALE_AFTER).findings())
                .noneMatch(f -> f.kind() == MemoryUpkeep.Kind.STALE);
        assertThat(upkeep.check("nobody", MemoryUpkeep.DEFAULT_STALE_AFTER).summary()).startsWith("Memory is tidy");
    }

    private Fact only(String attribute) {
        return store.facts(USER, false).stream().filter(f -> f.attribute().equals(attribute)).findFirst().orElseThrow();
    }

    private Fact fact(String id, String value, long at) {
        Fact f = new Fact(id, USER, acme.subject(), acme.attribute(), value, acme.category(), 0.9, "import", null, at,
                null, null, at, at, 0);
        store.insertFact(f);
        index.upsert(MemoryDocuments.of(f));
        return f;
    }

}
