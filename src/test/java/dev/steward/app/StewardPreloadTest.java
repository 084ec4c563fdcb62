package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `ask` loads the application on a second thread while picocli builds its model; what the user sees is unchanged. */
class StewardPreloadTest {
    @Test
    void onlyAnAskWithWordsAndNoHelpIsPreloaded() {
        assertThat(StewardPreload.worthIt(new String[] {"ask", "hello"})).isTrue();
        assertThat(StewardPreload.worthIt(new String[] {"--debug", "ask", "--json", "hello"})).isTrue();
        assertThat(StewardPreload.worthIt(new String[] {"ask"})).as("a usage error").isFalse();
        assertThat(StewardPreload.worthIt(new String[] {"ask", "--help"})).isFalse();
        assertThat(StewardPreload.worthIt(new String[] {"ask", "hello", "-h"})).isFalse();
        assertThat(StewardPreload.worthIt(new String[] {"tasks", "list"})).isFalse();
        assertThat(StewardPreload.worthIt(new String[] {"help", "ask"})).isFalse();
        assertThat(StewardPreload.worthIt(new String[] {"--version"})).isFalse();
        assertThat(StewardPreload.worthIt(new String[] {"ask", "--agent", "files", "sort", "these"})).isTrue();
        assertThat(StewardPreload.worthIt(new String[] {"ask", "--model=assistant", "hi"})).isTrue();
        assertThat(StewardPreload.worthIt(new String[] {"ask", "--", "-5 in F?"})).isTrue();
        assertThat(StewardPreload.worthIt(new String[] {"ask", "--agent", "files"})).as("no words").isFalse();
        assertThat(StewardPreload.worthIt(new String[] {"ask", "-x", "hello"})).as("a usage error").isFalse();
        assertThat(StewardPreload.worthIt(new String[] {"ask", "--jsn", "hello"})).as("a usage error").isFalse();
        assertThat(StewardPreload.worthIt(new String[] {"--bogus", "ask", "hello"})).as("a usage error").isFalse();
        assertThat(StewardPreload.worthIt(new String[] {"--json", "ask", "hello"})).as("not the root's").isFalse();
    }

    @Test
    void itsTableOfAsksOptionsIsWhatAsksAnnotationsSay() {
        Map<String, Boolean> declared = new HashMap<>(Map.of("--debug", false)); // the root's, inherited
        options(AskCommand.class, declared);

        assertThat(StewardPreload.ASK_OPTIONS).isEqualTo(declared);
    }

    /** Each option of a command and its mixins, with whether it takes a value (anything but a boolean flag does). */
    private static void options(Class<?> command, Map<String, Boolean> into) {
        for (Field field : command.getDeclaredFields()) {
            CommandLine.Option option = field.getAnnotation(CommandLine.Option.class);
            if (option != null) {
                for (String name : option.names()) {
                    into.put(name, field.getType() != boolean.class);
                }
            } else if (field.isAnnotationPresent(CommandLine.Mixin.class)) {
                options(field.getType(), into);
            }
        }
    }

    @Test
    void aMistypedOptionIsAnsweredWithoutCreatingTheHome(@TempDir Path parent) {
        Path home = parent.resolve("home");

        InProcessCli.Run run = InProcessCli.run(home, "", "ask", "-x", "hello");

        assertThat(run.exit()).isEqualTo(Main.USAGE);
        assertThat(run.err().lines()).singleElement().asString().contains("unknown option '-x'");
        assertThat(home).doesNotExist();
    }

    @Test
    void aPreloadedAskAnswersAndStoresItsTask(@TempDir Path home) {
        InProcessCli.Run first = InProcessCli.run(home, "", "ask", "hello");
        InProcessCli.Run second = InProcessCli.run(home, "", "ask", "hello");
        InProcessCli.Run tasks = InProcessCli.run(home, "", "tasks", "list");

        assertThat(first.exit()).as("%s", first).isZero();
        assertThat(second.exit()).as("%s", second).isZero();
        assertThat(second.out()).contains("Hello");
        assertThat(tasks.out().lines().filter(line -> line.contains("hello"))).hasSize(2);
    }

    @Test
    void theMemoryIndexOpensWithoutTheDatabaseSoThePreloadOpensBothAtOnce(@TempDir Path home) {
        try (Steward steward = Steward.load(Map.of("STEWARD_HOME", home.toString()), Steward.Lifetime.SHORT)) {
            assertThat(steward.memorySearch().count(Steward.LOCAL_USER)).isZero();

            assertThat(home.resolve("steward.db")).as("the database is not opened for the index").doesNotExist();
        }
    }

    @Test
    void aConfigurationErrorFoundByThePreloadIsTheCommandsOneLineError(@TempDir Path home) throws IOException {
        Files.writeString(home.resolve("steward.yaml"), "# mine\nrouting:\n  mode: fastest\n");

        InProcessCli.Run run = InProcessCli.run(home, "", "ask", "hello");

        assertThat(run.exit()).isEqualTo(Main.USAGE);
        assertThat(run.err().strip()).startsWith("steward: configuration error in " + home.resolve("steward.yaml") + ":3")
                .contains("routing.mode").doesNotContain("\tat ");
        assertThat(run.out()).isEmpty();
    }
}
