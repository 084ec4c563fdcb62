package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./steward} launcher, run against fake JDK trees. Each test copies the script into a temporary folder
 * with an empty {@code target/steward.jar} and no sources, so nothing is ever built, and the fake {@code java}
 * prints its arguments instead of starting anything.
 */
@EnabledOnOs(OS.LINUX)
class LauncherScriptTest {
    private static final String NO_JDK = "steward: no JDK 21 or newer found; install one (sudo apt-get install "
            + "openjdk-21-jdk, or Temurin 21+ from https://adoptium.net) or point STEWARD_JAVA_HOME at it";

    @TempDir
    Path temp;

    private Path app;
    private Path jdks;
    private String pathWithOldJava;

    @BeforeEach
    void setUp() throws IOException {
        app = Files.createDirectories(temp.resolve("app"));
        Path script = app.resolve("steward");
        Files.copy(Path.of("steward"), script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(app.resolve("target"));
        Files.createFile(app.resolve("target/steward.jar"));
        jdks = Files.createDirectories(temp.resolve("jvm"));
        // A JDK 17 first on PATH, so that a real java on this machine is never found by accident.
        Path old = fakeJdk(temp.resolve("old-jdk"), "17.0.2");
        pathWithOldJava = old.resolve("bin") + ":/usr/bin:/bin";
    }

    @Test
    void withoutAnyJdkItSaysWhatToInstallInOneLineAndExits2() throws Exception {
        Result result = run(List.of("--version"), Map.of());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).isEqualTo(NO_JDK + "\n");
    }

    @Test
    void aJdk17IsNotEnough() throws Exception {
        fakeJdk(jdks.resolve("java-17-openjdk-amd64"), "17.0.15");
        fakeJdk(jdks.resolve("jdk-1.8.0"), "1.8.0_402");

        Result result = run(List.of("ask", "hello"), Map.of());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo(NO_JDK + "\n");
    }

    @Test
    void aStewardJavaHomeThatIsTooOldIsAnErrorNotSkipped() throws Exception {
        Path old = fakeJdk(jdks.resolve("jdk-17"), "17.0.15");
        fakeJdk(jdks.resolve("jdk-21"), "21.0.2");

        Result result = run(List.of("--version"), Map.of("STEWARD_JAVA_HOME", old.toString()));

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stderr()).isEqualTo("steward: STEWARD_JAVA_HOME=" + old
                + " is not a JDK 21 or newer; point it at one, or unset it\n");
    }

    @Test
    void picksTheNewestJdkAndPassesTheArgumentsThrough() throws Exception {
        fakeJdk(jdks.resolve("java-17-openjdk-amd64"), "17.0.15");
        fakeJdk(jdks.resolve("jdk-21"), "21.0.2");
        Path newest = fakeJdk(jdks.resolve("temurin-25-jdk-amd64"), "25.0.3");

        Result result = run(List.of("ask", "hello world"), Map.of());

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stdout()).startsWith("java=" + newest.resolve("bin/java") + "\n");
        assertThat(result.stdout()).contains(
                "-XX:SharedArchiveFile=" + app.resolve("target/steward.jsa") + "\n-XX:+AutoCreateSharedArchive\n",
                "-XX:TieredStopAtLevel=1\n",
                "-jar\n" + app.resolve("target/steward.jar") + "\nask\nhello world\n");
        assertThat(result.stdout()).contains("STEWARD_JDK_ROOTS=unset");
        awaitTrainingRun(); // a JDK 25 with no ahead-of-time cache yet starts one, in the background
    }

    @Test
    void onJdk25AFreshAheadOfTimeCacheIsUsedInsteadOfTheArchive() throws Exception {
        fakeJdk(jdks.resolve("temurin-25-jdk-amd64"), "25.0.3");
        Path cache = app.resolve("target/steward-jdk25.0.3.aot");
        Files.writeString(cache, "cache");
        Files.setLastModifiedTime(app.resolve("target/steward.jar"), java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(cache).toMillis() - 60_000));

        for (String command : List.of("ask", "--help", "stats")) {
            assertThat(run(List.of(command), Map.of()).stdout())
                    .contains("-XX:AOTCache=" + cache + "\n")
                    .doesNotContain("-Xshare", "SharedArchiveFile"); // the JVM refuses both together
        }
        // --version alone needs only the JDK's own classes: loading the cache's thousands would double its cost
        assertThat(run(List.of("--version"), Map.of()).stdout()).doesNotContain("AOTCache", "SharedArchiveFile");
        assertThat(run(List.of("serve"), Map.of()).stdout()).doesNotContain("AOTCache");
        assertThat(app.resolve("target/aot.log")).as("no training run when the cache is fresh").doesNotExist();
    }

    @Test
    void withoutACacheOrWithOneOlderThanTheJarATrainingRunMakesItInTheBackgroundAndThisRunUsesTheArchive()
            throws Exception {
        fakeJdk(jdks.resolve("temurin-25-jdk-amd64"), "25.0.3");
        Path cache = app.resolve("target/steward-jdk25.0.3.aot");
        Files.writeString(cache, "stale");
        Files.setLastModifiedTime(cache, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(app.resolve("target/steward.jar")).toMillis() - 60_000));

        Result result = run(List.of("ask", "hello"), Map.of("OPENAI_API_KEY", "sk-secret",
                "STEWARD_HOME", temp.resolve("user-home").toString()));

        assertThat(result.stdout()).doesNotContain("AOTCache").contains("-XX:+AutoCreateSharedArchive")
                .contains("OPENAI_API_KEY=sk-secret");
        String training = awaitTrainingRun();
        // Two runs of `ask hello` in an empty environment and a throw-away home: the second records the cache.
        assertThat(training.split("\n-jar\n", -1)).hasSize(3);
        assertThat(training).contains("-XX:AOTCacheOutput=" + cache + ".tmp\n", "ask\nhello\n",
                "OPENAI_API_KEY=unset").doesNotContain("sk-secret", "user-home");
    }

    /** Waits for the launcher's background training run to end; returns what it wrote (the fake java's arguments). */
    private String awaitTrainingRun() throws Exception {
        Path log = app.resolve("target/aot.log");
        for (int i = 0; i < 100; i++) {
            if (Files.exists(log) && Files.readString(log).contains("the ahead-of-time cache run has ended")) {
                return Files.readString(log);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the training run did not end: " + (Files.exists(log) ? Files.readString(log) : "no log"));
    }

    @Test
    void serveKeepsTheFullJitAndItsOwnModulesShortCommandsReflectNativelyAndHelpDoesNotWriteTheArchive() throws Exception {
        fakeJdk(jdks.resolve("jdk-21"), "21.0.2");

        assertThat(run(List.of("serve"), Map.of()).stdout())
                .contains("--add-modules\njdk.incubator.vector", "-XX:+UseParallelGC", "-Xms512m\n-Xmx512m\n",
                        "-XX:+AlwaysPreTouch")
                .doesNotContain("TieredStopAtLevel", "AutoCreateSharedArchive", "useNativeAccessorOnly",
                        "CompileThresholdScaling", "jfr.unsupported.vm");
        // A short command tells libraries that JFR is not there (Jdbi then skips registering its events)
        assertThat(run(List.of("ask", "hello"), Map.of()).stdout())
                .contains("-XX:+AutoCreateSharedArchive", "-XX:CompileThresholdScaling=10\n",
                        "-Djdk.reflect.useNativeAccessorOnly=true\n", "-Djfr.unsupported.vm=true\n")
                .doesNotContain("incubator", "ParallelGC", "-Xmx", "AlwaysPreTouch");
        String biggerHeap = run(List.of("serve"), Map.of("STEWARD_JAVA_OPTS", "-Xms2g -Xmx2g")).stdout();
        assertThat(biggerHeap.indexOf("-Xmx2g")).as("the user's heap comes last, and the JVM takes the last one")
                .isGreaterThan(biggerHeap.indexOf("-Xmx512m"));
        assertThat(run(List.of("ask", "--help"), Map.of()).stdout())
                .doesNotContain("AutoCreateSharedArchive").contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    void worksThroughASymlinkAndTakesJavaOptions() throws Exception {
        fakeJdk(jdks.resolve("jdk-21"), "21.0.2");
        Path bin = Files.createDirectories(temp.resolve("home/bin"));
        Files.createSymbolicLink(bin.resolve("steward"), app.resolve("steward"));

        Result result = run(bin.resolve("steward"), List.of("stats"),
                Map.of("STEWARD_JAVA_OPTS", "-Xmx64m -Dsteward.test=*"));

        assertThat(result.exit()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("-Xmx64m\n-Dsteward.test=*\n-jar\n" + app.resolve("target/steward.jar"));
    }

    @Test
    void theJdkFoundIsRememberedInTargetAndLookedForAgainWhenANewerOneIsInstalled() throws Exception {
        Path jdk21 = fakeJdk(jdks.resolve("jdk-21"), "21.0.2");
        assertThat(run(List.of("stats"), Map.of()).stdout()).startsWith("java=" + jdk21.resolve("bin/java"));
        Path note = app.resolve("target/.jdk");
        assertThat(Files.readAllLines(note)).contains(jdk21.toString(), "21", "21.0.2");

        // The next start reads the note instead of searching: one that names another JDK is believed.
        Path elsewhere = fakeJdk(temp.resolve("elsewhere/jdk-22"), "22.0.1");
        Files.setLastModifiedTime(elsewhere.resolve("release"), java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 120_000)); // installed before the note was written
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(note));
        lines.set(1, elsewhere.toString());
        Files.write(note, lines);
        assertThat(run(List.of("stats"), Map.of()).stdout()).startsWith("java=" + elsewhere.resolve("bin/java"));

        // A JDK installed since (the folder searched changed) is found; so is one that JAVA_HOME names.
        Files.setLastModifiedTime(note, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 60_000));
        Path jdk25 = fakeJdk(jdks.resolve("jdk-25"), "25.0.3");
        assertThat(run(List.of("stats"), Map.of()).stdout()).startsWith("java=" + jdk25.resolve("bin/java"));
        assertThat(run(List.of("stats"), Map.of("JAVA_HOME", jdk21.toString())).stdout())
                .startsWith("java=" + jdk21.resolve("bin/java"));
        awaitTrainingRun(); // the JDK 25 found no ahead-of-time cache and started its run
    }

    @Test
    void withoutAJarAndWithoutBuildingItSaysSo() throws Exception {
        fakeJdk(jdks.resolve("jdk-21"), "21.0.2");
        Files.delete(app.resolve("target/steward.jar"));

        Result result = run(List.of("--version"), Map.of("STEWARD_NO_BUILD", "1"));

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("steward: " + app.resolve("target/steward.jar") + " is missing")
                .hasLineCount(1);
    }

    /** A JDK home with a release file and a bin/java that prints what it was given. */
    private static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, """
                #!/bin/sh
                echo "java=$0"
                for arg in "$@"; do echo "$arg"; done
                echo "STEWARD_JDK_ROOTS=${STEWARD_JDK_ROOTS-unset}"
                echo "STEWARD_HOME=${STEWARD_HOME-unset}"
                echo "OPENAI_API_KEY=${OPENAI_API_KEY-unset}"
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    private Result run(List<String> args, Map<String, String> env) throws Exception {
        return run(app.resolve("steward"), args, env);
    }

    private Result run(Path script, List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("STEWARD_") || name.equals("JAVA_HOME"));
        environment.put("PATH", pathWithOldJava);
        environment.put("STEWARD_JDK_ROOTS", jdks.toString());
        environment.putAll(env);
        Path out = temp.resolve("stdout");
        Path err = temp.resolve("stderr");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the launcher finished").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(int exit, String stdout, String stderr) {}
}
