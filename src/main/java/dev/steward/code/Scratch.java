package dev.steward.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

/**
 * The copy of a project a code task works in ({@code .steward/code/TASK} in the workspace), and the diffs between
 * it and the project. The copy is why a model's change never touches the user's files before they apply it, and why
 * the tests it writes can only see and damage the copy.
 */
final class Scratch {
    static final String ROOT = ".steward/code";
    /** Folders a copy leaves out: version control, build output and caches (the tests make their own). */
    private static final Set<String> SKIPPED = Set.of(".git", ".steward", "node_modules", "target", "__pycache__",
            ".pytest_cache", ".venv", "venv");
    static final long MOST_BYTES = 20L * 1024 * 1024;

    private Scratch() {}

    /** Where the copy of a task's project lives, relative to the workspace. */
    static String folder(String taskId) {
        return ROOT + "/" + taskId;
    }

    /** Copies the project into {@code to}, without links, skipped folders or more than {@link #MOST_BYTES}. */
    static void copy(Path project, Path to) {
        try {
            Files.createDirectories(to);
            long[] bytes = {0};
            Files.walkFileTree(project, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(project) && SKIPPED.contains(dir.getFileName().toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(to.resolve(project.relativize(dir).toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile() && !Files.isSymbolicLink(file)) {
                        bytes[0] += attrs.size();
                        if (bytes[0] > MOST_BYTES) {
                            throw new IllegalArgumentException("the project is larger than " + MOST_BYTES / 1024 / 1024
                                    + " MB without .git and build folders; give a smaller project folder");
                        }
                        Files.copy(file, to.resolve(project.relativize(file).toString()));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the project " + project + ": " + e.getMessage(), e);
        }
    }

    /** The project's files, relative to it, without skipped folders; at most {@code most}. */
    static List<String> files(Path project, int most) {
        try (Stream<Path> walk = Files.walk(project)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> project.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> Stream.of(p.split("/")).noneMatch(SKIPPED::contains))
                    .sorted().limit(most).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's text, or null when there is no such file. */
    static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SHA-256 of a file's text in hex; empty for no file. */
    static String hash(String text) {
        if (text == null) {
            return "";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The unified diff of one file, {@code a/PATH} to {@code b/PATH} (from {@code /dev/null} for a new file), with
     * three lines of context; empty when nothing changed.
     */
    static String diff(String path, String before, String after) {
        String old = before == null ? "" : before;
        if (old.equals(after)) {
            return "";
        }
        RawText a = new RawText(old.getBytes(StandardCharsets.UTF_8));
        RawText b = new RawText(after.getBytes(StandardCharsets.UTF_8));
        EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                .diff(RawTextComparator.DEFAULT, a, b);
        ByteArrayOutputStream hunks = new ByteArrayOutputStream();
        try (DiffFormatter formatter = new DiffFormatter(hunks)) {
            formatter.setContext(3);
            formatter.format(edits, a, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "--- " + (before == null ? "/dev/null" : "a/" + path) + "\n+++ b/" + path + "\n"
                + hunks.toString(StandardCharsets.UTF_8);
    }

    /**
     * Removes Python's byte-code caches from the copy before a test run: a file rewritten within the same second at
     * the same size would otherwise run as its cached older version.
     */
    static void clearCaches(Path copy) {
        try (Stream<Path> walk = Files.walk(copy)) {
            List<Path> caches = walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    && p.getFileName().toString().equals("__pycache__")).toList();
            for (Path cache : caches) {
                try (Stream<Path> inside = Files.walk(cache)) {
                    for (Path p : inside.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the caches of " + copy + ": " + e.getMessage(), e);
        }
    }
}
