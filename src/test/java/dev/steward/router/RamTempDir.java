package dev.steward.router;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * A {@code @TempDir} in memory (/dev/shm) where the machine has one, else in the usual temporary folder.
 * The database in it is a real SQLite file; only the disk's fsync is spared, which on a busy machine cost these
 * tests more than everything else they do. Use as {@code @TempDir(factory = RamTempDir.class)}.
 */
public final class RamTempDir implements TempDirFactory {
    private static final Path SHM = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws Exception {
        return Files.isDirectory(SHM) && Files.isWritable(SHM)
                ? Files.createTempDirectory(SHM, "steward-test-")
                : Files.createTempDirectory("steward-test-");
    }
}
