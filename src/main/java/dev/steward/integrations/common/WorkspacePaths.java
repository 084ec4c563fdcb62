package dev.steward.integrations.common;

import dev.steward.actions.ToolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths the integration tools are given, resolved inside the workspace: an absolute path elsewhere, a {@code ..} that
 * climbs out or a symlink that leads out is refused, as files.* refuses it.
 */
public final class WorkspacePaths {
    private final Path root;

    public WorkspacePaths(Path workspace) {
        try {
            Files.createDirectories(workspace);
            this.root = workspace.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the workspace " + workspace, e);
        }
    }

    public Path root() {
        return root;
    }

    /** The path inside the workspace (it need not exist yet); a ToolException when it leads out. */
    public Path resolve(String path) {
        if (path == null || path.isBlank()) {
            throw new ToolException("a path is required (relative to the workspace)");
        }
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root)) {
            throw new ToolException("refused path '" + path + "': it leads out of the workspace (" + root + ")");
        }
        // The deepest part that exists must, with symlinks followed, still be inside.
        Path existing = resolved;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (existing != null && !existing.toRealPath().startsWith(root)) {
                throw new ToolException("refused path '" + path + "': a symlink leads out of the workspace");
            }
        } catch (IOException e) {
            throw new ToolException("cannot read '" + path + "': " + e.getMessage());
        }
        return resolved;
    }

    /** The path as the tools show it: relative to the workspace. */
    public String relative(Path path) {
        return root.relativize(path).toString();
    }
}
