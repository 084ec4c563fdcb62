package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.DatabaseConfig;
import dev.steward.router.RamTempDir;
import dev.steward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Building the search index from the database tells how far it got (issue 22: a new node, or one behind a trimmed
 * feed, shows progress): from 0 of all memories, after each batch, up to all of them.
 */
class MemoryReindexProgressTest {
    @TempDir(factory = RamTempDir.class)
    Path home;
    Database database;

    record Count(int done, int total) {}

    @BeforeEach
    void open() {
        database = Database.open(home, DatabaseConfig.embedded());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aRebuildReportsEveryBatchOfMemoriesWrittenOutOfAll() {
        Memory written = new Memory(database, new TermOverlapSearch(), new PatternFactExtractor(), Clock.systemUTC());
        int annEpisodes = Memory.REINDEX_BATCH + 20;
        for (int i = 0; i < annEpisodes; i++) {
            written.learn("ann", "note number " + i + " about the launch", "noted", null, false);
        }
        written.remember("bob", "remember that my company is Globex", "message", null);
        TermOverlapSearch fresh = new TermOverlapSearch();
        Memory rebuilding = new Memory(database, fresh, new PatternFactExtractor(), Clock.systemUTC());
        List<Count> told = new ArrayList<>();

        var documents = rebuilding.reindexAll((done, total) -> told.add(new Count(done, total)));

        int total = documents.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).isGreaterThan(annEpisodes);
        assertThat(told.getFirst()).isEqualTo(new Count(0, total));
        assertThat(told.getLast()).isEqualTo(new Count(total, total));
        assertThat(told).hasSizeGreaterThanOrEqualTo(4) // 0, ann's two batches, bob's
                .extracting(Count::done).isSorted();
        assertThat(told).allSatisfy(c -> assertThat(c.total()).isEqualTo(total));
        assertThat(fresh.documents).hasSize(total);
    }

    @Test
    void anEmptyDatabaseReportsNothingToDo() {
        Memory rebuilding = new Memory(database, new TermOverlapSearch(), new PatternFactExtractor(), Clock.systemUTC());
        List<Count> told = new ArrayList<>();

        rebuilding.reindexAll((done, total) -> told.add(new Count(done, total)));

        assertThat(told).containsExactly(new Count(0, 0));
    }
}
