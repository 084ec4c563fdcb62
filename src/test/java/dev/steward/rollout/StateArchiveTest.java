package dev.steward.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.config.DatabaseConfig;
import dev.steward.config.Role;
import dev.steward.identity.Accounts;
import dev.steward.memory.Memory;
import dev.steward.memory.MemoryIndex;
import dev.steward.memory.PatternFactExtractor;
import dev.steward.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole home exported and imported: users and memory intact; a corrupted or foreign file changes nothing. */
class StateArchiveTest {
    @TempDir
    Path dir;
    Path source;
    Path checkpoint;
    String aliceId;

    @BeforeEach
    void exportAHomeWithAUserAndAMemory() throws IOException {
        source = dir.resolve("source");
        Files.createDirectories(source.resolve("skills/greet"));
        Files.writeString(source.resolve("steward.yaml"), "routing:\n  aliases:\n    default: up/m\n");
        Files.writeString(source.resolve("skills/greet/SKILL.md"), "---\nname: greet\n---\nSay hello.\n");
        try (Database db = Database.open(source, DatabaseConfig.embedded());
             MemoryIndex index = MemoryIndex.open(source, false)) {
            aliceId = new Accounts(db, Clock.systemUTC()).addUser("alice", Role.STANDARD, "alice-password").id();
            new Memory(db, index, new PatternFactExtractor(), Clock.systemUTC())
                    .remember(aliceId, "My favourite colour is teal", "test", null);
            checkpoint = dir.resolve("out/state.zip");
            StateArchive.Summary summary = StateArchive.export(source, db, checkpoint);
            assertThat(summary.schemaVersion()).isEqualTo(Database.newestSchemaVersion());
        }
    }

    @Test
    void anExportImportsIntoAFreshHomeWithUsersAndMemoryIntact() throws IOException {
        try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).contains("manifest.json", "steward.db", "steward.yaml",
                    "skills/greet/SKILL.md").anyMatch(n -> n.startsWith("index/"));
        }
        Path fresh = dir.resolve("fresh");
        StateArchive.importInto(fresh, checkpoint);

        assertThat(Files.readString(fresh.resolve("skills/greet/SKILL.md"))).contains("Say hello.");
        try (Database db = Database.open(fresh, DatabaseConfig.embedded());
             MemoryIndex index = MemoryIndex.open(fresh, false)) {
            assertThat(index.created()).as("the index came along; it is not rebuilt").isFalse();
            assertThat(new Accounts(db, Clock.systemUTC()).findUser("alice")).isPresent();
            Memory memory = new Memory(db, index, new PatternFactExtractor(), Clock.systemUTC());
            assertThat(memory.recall(aliceId, "favourite colour", 5).summary()).contains("teal");
        }
    }

    @Test
    void aFileWithCorruptedBytesIsRefusedAndTheHomeIsLeftUntouched() throws IOException {
        byte[] bytes = Files.readAllBytes(checkpoint);
        for (int i = 200; i < 260; i++) {
            bytes[i] ^= 0x5a;
        }
        Path corrupted = dir.resolve("corrupted.zip");
        Files.write(corrupted, bytes);
        Path fresh = dir.resolve("fresh");

        assertThatThrownBy(() -> StateArchive.importInto(fresh, corrupted)).isInstanceOf(RolloutException.class)
                .hasMessageStartingWith("refused " + corrupted).hasMessageEndingWith("; nothing was changed");
        try (var left = Files.list(fresh)) {
            assertThat(left).as("nothing written").isEmpty();
        }
    }

    @Test
    void aNonEmptyHomeIsRefused() {
        assertThatThrownBy(() -> StateArchive.importInto(source, checkpoint))
                .hasMessageContaining("is not empty: it has a database or an index already");
    }
}
