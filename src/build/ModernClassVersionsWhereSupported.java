/**
 * ModernClassVersionsWhereSupported JAR PACKAGE... — runs ModernClassVersions (beside this file) on a JDK with the
 * class-file API (24+), and on an older one says that the jar keeps its old classes (only JDK 25's ahead-of-time
 * cache needs them rewritten). This file names no class-file API type, so that any JDK 21+ compiles it.
 */
public final class ModernClassVersionsWhereSupported {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println(
                    "usage: java ModernClassVersionsWhereSupported.java JAR PACKAGE... (as folders: picocli/)");
            System.exit(2);
        }
        if (Runtime.version().feature() < 24) {
            System.out.println("ModernClassVersions: JDK " + Runtime.version().feature()
                    + " has no class-file API; the jar keeps its old classes (they matter to JDK 25's cache only)");
            return;
        }
        // JDK 22+ compiles the other source files of this folder when they are first used (JEP 458).
        Class.forName("ModernClassVersions").getMethod("main", String[].class).invoke(null, (Object) args);
    }
}
