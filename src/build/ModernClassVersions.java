import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * ModernClassVersions JAR PACKAGE... — rewrites the classes under the given packages of a jar that were compiled for
 * Java 5 or older (class file version 49 or less; picocli's are) as version 50 with stack maps, in place. The JVM's ahead-of-time cache and class-data archive leave out a class of
 * version 49 or less once it has run ("old class has been linked"), so each start loaded, parsed and verified picocli's
 * ~200 classes from the jar again: a fifth of `steward ask hello`'s main thread (issue 23). The code is unchanged; only
 * the version and the stack maps the newer verifier checks are new. Version 50, not later: should the JVM ever find a
 * stack map wrong, it verifies a class of version 50 the old way instead of failing.
 *
 * Run by the build after the jar is shaded (pom.xml, on JDK 24+ for the JDK's class-file API; the cache needs 25):
 * java src/build/ModernClassVersions.java target/steward.jar picocli/
 */
public final class ModernClassVersions {
    /** The oldest class file version the archives keep, with stack maps; the rewritten classes get it. */
    private static final int FIRST_WITH_STACK_MAPS = 50;

    /** JAR PACKAGE...: ModernClassVersionsWhereSupported checks the arguments and the JDK first. */
    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]).toAbsolutePath();
        int rewritten = rewrite(jar, List.of(args).subList(1, args.length));
        System.out.println("ModernClassVersions: " + rewritten + " classes of " + jar.getFileName() + " under "
                + String.join(", ", List.of(args).subList(1, args.length)) + " now have class file version "
                + FIRST_WITH_STACK_MAPS);
    }

    /** Rewrites every class older than version 50 under the packages (folders: picocli/) in the jar; returns how many. */
    static int rewrite(Path jar, List<String> packages) throws IOException {
        // Stack maps name the common supertype of two branches: the jar's own classes are read from the jar.
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + jar.toUri()), Map.of())) {
            ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(classes)).cached()));
            List<Path> old;
            try (Stream<Path> files = Files.walk(zip.getPath("/"))) {
                old = files.filter(file -> file.toString().endsWith(".class")
                        && packages.stream().anyMatch(folder -> file.toString().startsWith("/" + folder))
                        && isOld(file)).toList();
            }
            for (Path file : old) {
                ClassModel model = classFile.parse(Files.readAllBytes(file));
                // Every method's code is built again, which is what writes its stack maps.
                byte[] modern = classFile.transformClass(model, ClassTransform.transformingMethodBodies(
                        CodeTransform.ACCEPT_ALL).andThen(ClassTransform.endHandler(
                        builder -> builder.withVersion(FIRST_WITH_STACK_MAPS, 0))));
                Files.write(file, modern);
            }
            return old.size();
        }
    }

    private static boolean isOld(Path file) {
        try (var in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(8); // magic, minor, major
            return head.length == 8 && ((head[6] & 0xff) << 8 | head[7] & 0xff) < FIRST_WITH_STACK_MAPS;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
