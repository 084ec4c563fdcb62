package dev.steward.app;

import dev.steward.config.ConfigLoader;
import dev.steward.rollout.StateArchive;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "state", mixinStandardHelpOptions = true,
        description = "Checkpoints of a whole home: database, search index, configuration and skills in one file.",
        subcommands = {StateCommand.Export.class, StateCommand.Import.class})
final class StateCommand extends CommandGroup {

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a consistent checkpoint (safe while 'steward serve' runs), with a manifest of checksums.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        StateCommand group;

        @Parameters(paramLabel = "FILE", description = "Where to write it, e.g. steward-state.zip.")
        Path file;

        @Override
        public Integer call() {
            Steward steward = group.parent.steward();
            StateArchive.Summary done = RolloutCommand.handled(() ->
                    StateArchive.export(steward.config().home(), steward.database(), file));
            System.out.println("Wrote " + done.file() + ": " + done.files() + " files, schema " + done.schemaVersion()
                    + ".");
            return Main.OK;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Restore a checkpoint into an empty STEWARD_HOME; every checksum is verified first, and a"
                    + " damaged file changes nothing.")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        StateCommand group;

        @Parameters(paramLabel = "FILE", description = "A file 'steward state export' wrote.")
        Path file;

        @Override
        public Integer call() {
            // Not through Steward: opening it would create the database the import must not find.
            Path home = new ConfigLoader(group.parent.env()).home();
            StateArchive.Summary done = RolloutCommand.handled(() -> StateArchive.importInto(home, file));
            System.out.println("Imported " + done.files() + " files (schema " + done.schemaVersion() + ") into " + home
                    + ".");
            return Main.OK;
        }
    }
}
