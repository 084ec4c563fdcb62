package dev.steward.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.config.DatabaseConfig;
import dev.steward.store.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clearing a user and expunging leaves no segment that holds their documents, not even marked deleted (the files
 * that held their text are gone), while others' memories stay searchable.
 */
class PurgeFromIndexTest {
    @TempDir
    Path home;

    @Test
    void expungingRewritesTheSegmentsThatHeldADeletedUsersText() throws IOException {
        Path dir = home.resolve("index");
        try (Database database = Database.open(home, DatabaseConfig.embedded());
             MemoryIndex index = new MemoryIndex(dir, Embedder.hashing(64), Ranking.defaults(), Clock.systemUTC())) {
            Memory memory = new Memory(database, index, new PatternFactExtractor(), Clock.systemUTC());
            memory.remember("ann", "remember that my codename is Zanzibarite", "message", null);
            memory.remember("bob", "remember that my company is Globex", "message", null);
            // rewritten in one commit, so that both users' memories share one segment
            index.upsertAll(java.util.stream.Stream.of("ann", "bob").flatMap(u -> memory.facts(u, true).stream())
                    .map(MemoryDocuments::of).toList());
            Set<String> before = segments(dir);

            memory.clear("ann");
            index.expungeDeleted();

            assertThat(deleted(dir)).isZero();
            assertThat(segments(dir)).as("the segment that held ann's text is gone from disk")
                    .doesNotContainAnyElementsOf(before);
            assertThat(memory.recall("bob", "company", 5).current()).singleElement()
                    .satisfies(f -> assertThat(f.value()).isEqualTo("Globex"));
        }
    }

    private static int deleted(Path dir) throws IOException {
        try (FSDirectory directory = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(directory)) {
            return reader.maxDoc() - reader.numDocs();
        }
    }

    /** The segments whose files are on disk: "_3" for _3.cfs, _3.si… */
    private static Set<String> segments(Path dir) throws IOException {
        try (FSDirectory directory = FSDirectory.open(dir)) {
            return java.util.Arrays.stream(directory.listAll()).filter(f -> f.startsWith("_"))
                    .map(f -> "_" + f.split("[._]")[1])
                    .collect(java.util.stream.Collectors.toSet());
        }
    }
}
