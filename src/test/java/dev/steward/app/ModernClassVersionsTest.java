package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The build rewrites picocli's Java 5 classes as version 50 with stack maps (src/build/ModernClassVersions.java), so
 * that the ahead-of-time cache keeps them. The rewritten classes must pass the JVM's type-checking verifier as they
 * are: a wrong stack map would make the JVM verify the class the old way, which the cache refuses too.
 */
class ModernClassVersionsTest {
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @Test
    void picocliGetsVersion50AndPassesTheTypeCheckingVerifierOtherEntriesUntouched(@TempDir Path temp) throws Exception {
        Path original = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path jar = Files.copy(original, temp.resolve("picocli.jar"));
        assertThat(versions(original, "picocli/")).as("picocli as published").allMatch(version -> version < 50);

        Result rewrite = run(JAVA.toString(), "src/build/ModernClassVersionsWhereSupported.java", jar.toString(),
                "picocli/");

        assertThat(rewrite.exit()).as(rewrite.output()).isZero();
        if (Runtime.version().feature() < 24) { // the build's JDK has no class-file API: the jar stays as it was
            assertThat(rewrite.output()).contains("has no class-file API; the jar keeps its old classes");
            assertThat(entry(jar, "picocli/CommandLine.class")).isEqualTo(entry(original, "picocli/CommandLine.class"));
            return;
        }
        assertThat(versions(jar, "picocli/")).isNotEmpty().allMatch(version -> version == 50);
        assertThat(entry(jar, "META-INF/MANIFEST.MF")).isEqualTo(entry(original, "META-INF/MANIFEST.MF"));
        // picocli's own command builds a model, parses and prints its usage: most of CommandLine runs, verified
        Result usage = run(JAVA.toString(), "-Xlog:verification=info", "-cp", jar.toString(), "picocli.AutoComplete",
                "--help");
        assertThat(usage.exit()).as(usage.output()).isZero();
        assertThat(usage.output()).contains("Usage: picocli.AutoComplete", "Verifying method picocli.CommandLine.")
                .doesNotContain("Fail over class verification to old verifier", "VerifyError");
    }

    @Test
    void withoutPackagesItSaysHowToRunIt(@TempDir Path temp) throws Exception {
        Result result = run(JAVA.toString(), "src/build/ModernClassVersionsWhereSupported.java",
                temp.resolve("any.jar").toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("usage: java ModernClassVersionsWhereSupported.java JAR PACKAGE...");
    }

    private static List<Integer> versions(Path jar, String folder) throws IOException {
        List<Integer> versions = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                if (entry.getName().startsWith(folder) && entry.getName().endsWith(".class")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        byte[] head = in.readNBytes(8);
                        versions.add((head[6] & 0xff) << 8 | head[7] & 0xff);
                    }
                }
            }
        }
        return versions;
    }

    private static byte[] entry(Path jar, String name) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile()); InputStream in = zip.getInputStream(zip.getEntry(name))) {
            return in.readAllBytes();
        }
    }

    private record Result(int exit, String output) {}

    private static Result run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
