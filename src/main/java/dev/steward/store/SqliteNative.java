package dev.steward.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Where SQLite's native library is loaded from. By itself sqlite-jdbc copies it out of the jar into the temp folder at
 * every start and compares the copy byte by byte, a few percent of a short command's time (docs/benchmarks.md); this
 * keeps one copy per sqlite-jdbc version under a cache folder, made once, and points sqlite-jdbc at it. Anything
 * unusual (a choice already made, a folder it cannot write) leaves sqlite-jdbc to do as it always does; so does a copy
 * it cannot load (it falls back to extracting).
 */
final class SqliteNative {
    private static final String PATH = "org.sqlite.lib.path";
    private static final String NAME = "org.sqlite.lib.name";

    private SqliteNative() {}

    static synchronized void useCopyIn(Path cache) {
        if (System.getProperty(PATH) != null || System.getProperty(NAME) != null) {
            return;
        }
        String folder = LibraryLoaderUtil.getNativeLibResourcePath();
        String name = LibraryLoaderUtil.getNativeLibName();
        URL resource = SQLiteJDBCLoader.class.getResource(folder + "/" + name);
        if (resource == null) {
            return;
        }
        try {
            Path dir = cache.resolve("sqlite-" + SQLiteJDBCLoader.getVersion() + folder.replace("/org/sqlite/native", "")
                    .replace('/', '-'));
            Path copy = dir.resolve(name);
            long size = resource.openConnection().getContentLengthLong();
            if (!Files.isRegularFile(copy) || Files.size(copy) != size) {
                Files.createDirectories(dir);
                Path part = Files.createTempFile(dir, name, ".part");
                try (InputStream in = resource.openStream()) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
            System.setProperty(PATH, dir.toString());
            System.setProperty(NAME, name);
        } catch (IOException | RuntimeException e) {
            // sqlite-jdbc extracts the library itself, as it would without this
        }
    }
}
