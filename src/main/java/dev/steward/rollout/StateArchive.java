package dev.steward.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.store.Database;
import dev.steward.support.Json;
import dev.steward.support.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A whole home in one file: the database (an online copy, consistent while Steward runs), the search index, the
 * configuration and the skills folder, with a manifest naming every file's SHA-256 and the schema version. Import
 * goes into an empty home only, and checks everything before it writes anything: a damaged or foreign file is refused
 * with the home untouched.
 */
public final class StateArchive {
    public static final String MANIFEST = "manifest.json";
    static final String DATABASE = "steward.db";
    /** Folders of a home that a checkpoint carries, if present (the config repository lives in {@code config}). */
    static final List<String> FOLDERS = List.of("index", "skills", "config");
    static final List<String> FILES = List.of("steward.yaml", "mcp.json");
    private static final int FORMAT = 1;

    /** What was written or read: the files and the schema version. */
    public record Summary(Path file, String schemaVersion, int files, long bytes) {}

    private StateArchive() {}

    /** Writes a checkpoint of {@code home} to {@code file} (replacing it only once complete). */
    public static Summary export(Path home, Database database, Path file) {
        if (database.dialect() != Database.Dialect.SQLITE) {
            throw new RolloutException(RolloutException.Kind.INVALID, "state export copies the embedded SQLite database;"
                    + " this home uses PostgreSQL", "back PostgreSQL up with pg_dump, and this home's files by hand");
        }
        Path staging = null;
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            staging = Files.createTempDirectory(parent, ".steward-export");
            Path copy = staging.resolve(DATABASE);
            database.flushBackgroundWrites();
            // VACUUM INTO is SQLite's online copy: one consistent snapshot, taken while others keep writing.
            database.jdbi().useHandle(h -> h.execute("VACUUM INTO '" + copy.toString().replace("'", "''") + "'"));
            Map<String, Path> entries = new LinkedHashMap<>();
            entries.put(DATABASE, copy);
            for (String name : FILES) {
                if (Files.isRegularFile(home.resolve(name))) {
                    entries.put(name, home.resolve(name));
                }
            }
            for (String folder : FOLDERS) {
                addFolder(home, home.resolve(folder), entries);
            }
            String schema = database.schemaVersion();
            Path temp = parent.resolve(file.getFileName() + ".part");
            long bytes = 0;
            ArrayNode listed = Json.object().arrayNode();
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(temp))) {
                for (Map.Entry<String, Path> e : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    MessageDigest sha = sha256();
                    try (InputStream in = new DigestInputStream(Files.newInputStream(e.getValue()), sha)) {
                        bytes += in.transferTo(zip);
                    }
                    zip.closeEntry();
                    listed.addObject().put("path", e.getKey()).put("size", Files.size(e.getValue()))
                            .put("sha256", HexFormat.of().formatHex(sha.digest()));
                }
                ObjectNode manifest = Json.object().put("format", FORMAT).put("schema_version", schema)
                        .put("steward_version", Version.current()).put("created_at", Instant.now().toString());
                manifest.set("files", listed);
                zip.putNextEntry(new ZipEntry(MANIFEST));
                zip.write(Json.pretty(manifest).getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new Summary(file, schema, entries.size(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    private static void addFolder(Path home, Path folder, Map<String, Path> entries) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                // Lucene's lock belongs to the running process, not to the index.
                if (!p.getFileName().toString().equals("write.lock")) {
                    entries.put(home.relativize(p).toString().replace('\\', '/'), p);
                }
            }
        }
    }

    /**
     * Restores a checkpoint into {@code home}, which must hold no database and no index yet. Every file is checked
     * against the manifest before the first is written.
     */
    public static Summary importInto(Path home, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new RolloutException(RolloutException.Kind.NOT_FOUND, "no checkpoint file at " + file,
                    "give the path 'steward state export FILE' wrote");
        }
        if (Files.exists(home.resolve(DATABASE)) || nonEmpty(home.resolve("index"))) {
            throw new RolloutException(RolloutException.Kind.CONFLICT, home + " is not empty: it has a database or an"
                    + " index already", "import into a new home: STEWARD_HOME=/path/to/new steward state import " + file);
        }
        Path staging = null;
        try {
            Files.createDirectories(home);
            staging = Files.createTempDirectory(home, ".steward-import");
            Map<String, String> digests = new LinkedHashMap<>();
            JsonNode manifest = null;
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    String name = entry.getName();
                    if (name.startsWith("/") || name.contains("..") || name.contains("\\") || entry.isDirectory()) {
                        throw refused(file, "it holds an unsafe entry '" + name + "'");
                    }
                    if (name.equals(MANIFEST)) {
                        manifest = Json.parse(new String(zip.readAllBytes(), StandardCharsets.UTF_8));
                        continue;
                    }
                    Path target = staging.resolve(name);
                    Files.createDirectories(target.getParent());
                    MessageDigest sha = sha256();
                    try (OutputStream out = Files.newOutputStream(target)) {
                        new DigestInputStream(zip, sha).transferTo(out);
                    }
                    digests.put(name, HexFormat.of().formatHex(sha.digest()));
                }
            } catch (java.util.zip.ZipException | RuntimeException e) {
                if (e instanceof RolloutException r) {
                    throw r;
                }
                throw refused(file, "it is damaged (" + e.getMessage() + ")");
            }
            String schema = verify(file, manifest, digests);
            List<String> moved = new ArrayList<>(digests.keySet());
            for (String name : moved) {
                Path target = home.resolve(name);
                Files.createDirectories(target.getParent());
                Files.move(staging.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
            }
            return new Summary(file, schema, moved.size(), Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot import " + file + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(staging);
        }
    }

    /** Every file the manifest names is there with its checksum, nothing else is, and the schema is one we know. */
    private static String verify(Path file, JsonNode manifest, Map<String, String> digests) {
        if (manifest == null || manifest.path("format").asInt() != FORMAT) {
            throw refused(file, manifest == null ? "it has no manifest" : "its format is not one this version reads");
        }
        Map<String, String> listed = new LinkedHashMap<>();
        manifest.path("files").forEach(f -> listed.put(f.path("path").asText(), f.path("sha256").asText()));
        if (!listed.containsKey(DATABASE)) {
            throw refused(file, "it has no database");
        }
        for (Map.Entry<String, String> e : listed.entrySet()) {
            String actual = digests.get(e.getKey());
            if (actual == null) {
                throw refused(file, e.getKey() + " is missing");
            }
            if (!actual.equals(e.getValue())) {
                throw refused(file, e.getKey() + " does not match its checksum (the file is corrupted)");
            }
        }
        digests.keySet().stream().filter(name -> !listed.containsKey(name)).findFirst()
                .ifPresent(name -> { throw refused(file, name + " is not in its manifest"); });
        String schema = manifest.path("schema_version").asText("");
        int version;
        try {
            version = Integer.parseInt(schema);
        } catch (NumberFormatException e) {
            throw refused(file, "its schema version '" + schema + "' is not a number");
        }
        if (version > Integer.parseInt(Database.newestSchemaVersion())) {
            throw refused(file, "it comes from a newer Steward (schema " + schema + ", this one knows up to "
                    + Database.newestSchemaVersion() + ")");
        }
        return schema;
    }

    private static RolloutException refused(Path file, String why) {
        return new RolloutException(RolloutException.Kind.INVALID, "refused " + file + ": " + why
                + "; nothing was changed", "export the checkpoint again from the original home");
    }

    private static boolean nonEmpty(Path folder) {
        try (Stream<Path> list = Files.isDirectory(folder) ? Files.list(folder) : Stream.empty()) {
            return list.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }
}
