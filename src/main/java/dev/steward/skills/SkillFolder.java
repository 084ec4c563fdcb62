package dev.steward.skills;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** A skill's folder on disk: its files in a stable order, their content hash, copying and deleting it whole. */
final class SkillFolder {
    private SkillFolder() {}

    /** Every file and link under {@code dir}, relative, sorted; version-control folders are not part of a skill. */
    static List<Path> files(Path dir) {
        List<Path> files = new ArrayList<>();
        walk(dir, (file, attrs) -> files.add(file));
        files.sort(Comparator.comparing(p -> p.toString().replace('\\', '/')));
        return files;
    }

    /**
     * What the folder holds by each file's name, size and modification time, sorted, with the newest time: cheap to
     * take (no file is read), and different whenever a file is added, removed or written, unless a write keeps the
     * size and lands in the same clock tick as the one before (see {@link Stamp#settled}).
     */
    record Stamp(List<String> files, long newestMillis) {
        /** Whether every file was last written long enough ago that a write now would show in its time. */
        boolean settled(long nowMillis) {
            return newestMillis < nowMillis - 2_000;
        }
    }

    static Stamp stamp(Path dir) {
        List<String> files = new ArrayList<>();
        long[] newest = {0};
        walk(dir, (file, attrs) -> {
            long millis = attrs.lastModifiedTime().toMillis();
            newest[0] = Math.max(newest[0], millis);
            files.add(file.toString().replace('\\', '/') + "\0" + attrs.size() + "\0" + millis + "\0"
                    + attrs.lastModifiedTime().toInstant().getNano());
        });
        files.sort(Comparator.naturalOrder());
        return new Stamp(files, newest[0]);
    }

    private static void walk(Path dir, java.util.function.BiConsumer<Path, BasicFileAttributes> each) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    String name = d.getFileName() == null ? "" : d.getFileName().toString();
                    return !d.equals(dir) && (name.equals(".git") || name.equals("__pycache__"))
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    each.accept(dir.relativize(file), attrs);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the skill folder " + dir, e);
        }
    }

    /** SHA-256 over every file's relative path and bytes (a link's target, not what it points to). */
    static String hash(Path dir) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files(dir)) {
                Path full = dir.resolve(file);
                digest.update(file.toString().replace('\\', '/').getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(Files.isSymbolicLink(full)
                        ? Files.readSymbolicLink(full).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        : Files.readAllBytes(full));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the skill folder " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies a skill folder (links as links, no .git) to {@code target}, which must not exist. */
    static void copy(Path from, Path target) throws IOException {
        Files.createDirectories(target);
        for (Path file : files(from)) {
            Path source = from.resolve(file);
            Path to = target.resolve(file.toString());
            Files.createDirectories(to.getParent());
            Files.copy(source, to, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }

    /** Deletes a folder and everything in it; quietly does nothing when it is not there. */
    static void delete(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
