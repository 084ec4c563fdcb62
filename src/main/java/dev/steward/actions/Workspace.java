package dev.steward.actions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The only folder tools may touch. Every path a tool is given is resolved here: absolute paths outside it,
 * {@code ..} escapes, encoded or look-alike characters, and symlinks that lead out are refused. Public so that tools
 * outside this package (the browser's screenshots and downloads) confine their paths the same way.
 */
public final class Workspace {
    private final Path root;
    private final Path realRoot;

    public Workspace(Path root) {
        try {
            Files.createDirectories(root);
            this.root = root.toAbsolutePath().normalize();
            this.realRoot = this.root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the workspace " + root, e);
        }
    }

    public Path root() {
        return realRoot;
    }

    /** The path inside the workspace, checked; it may not exist yet. */
    public Path resolve(String path) {
        if (path == null || path.isBlank() || path.equals(".")) {
            return realRoot;
        }
        if (path.indexOf('\0') >= 0) {
            throw refused(path, "it contains a NUL character");
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")) {
            throw refused(path, "it contains URL-encoded dots or slashes; write the path plainly");
        }
        if (!Normalizer.normalize(path, Normalizer.Form.NFKC).equals(path)) {
            throw refused(path, "it contains look-alike Unicode characters (such as fullwidth dots or slashes)");
        }
        Path given = Path.of(path);
        Path candidate = given.isAbsolute() ? given.normalize() : realRoot.resolve(given).normalize();
        if (!candidate.startsWith(realRoot) && !(given.isAbsolute() && candidate.startsWith(root))) {
            throw refused(path, given.isAbsolute() ? "it is outside the workspace" : "it leads out of the workspace");
        }
        if (candidate.startsWith(root) && !candidate.startsWith(realRoot)) {
            candidate = realRoot.resolve(root.relativize(candidate));
        }
        checkLinks(path, candidate);
        return candidate;
    }

    /** Every existing part of the path, followed through its links, must stay inside the workspace. */
    private void checkLinks(String path, Path candidate) {
        Path existing = candidate;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw refused(path, "no part of it exists");
        }
        if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
            throw refused(path, "it is a link to something that does not exist");
        }
        try {
            if (!existing.toRealPath().startsWith(realRoot)) {
                throw refused(path, "it follows a symbolic link out of the workspace");
            }
        } catch (IOException e) {
            throw refused(path, "it cannot be resolved (" + e.getMessage() + ")");
        }
    }

    /** The path as tools show it: relative to the workspace. */
    public String show(Path path) {
        String relative = realRoot.relativize(path).toString();
        return relative.isEmpty() ? "." : relative;
    }

    private static ToolException refused(String path, String why) {
        return new ToolException("refused path '" + path + "': " + why + "; tools may only touch the workspace");
    }
}
