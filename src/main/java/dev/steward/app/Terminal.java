package dev.steward.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about where output goes, cheap enough for the start-up path (no terminal library loaded). */
final class Terminal {
    private Terminal() {}

    /** Whether file descriptor {@code fd} is an interactive terminal. Linux-specific; elsewhere, false. */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
