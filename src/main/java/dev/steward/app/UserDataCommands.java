package dev.steward.app;

import dev.steward.memory.Teams;
import dev.steward.server.UserData;
import dev.steward.support.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code steward users export NAME} and {@code users remove NAME --purge}: a user's right to see and to erase. */
final class UserDataCommands {
    private UserDataCommands() {}

    static UserData data(UsersCommand users) {
        Steward steward = users.parent.steward();
        return new UserData(steward.database(), steward.memory(), steward.memorySearch(), steward.accounts(),
                new Teams(steward.database(), Clock.systemUTC()));
    }

    static int purge(UsersCommand users, String name) {
        UserData.Purged purged = UsersCommand.usage(() -> data(users).purge(name));
        System.out.println("Removed " + name.strip() + " and purged what they said and stored: "
                + purged.counts().getOrDefault("facts", 0) + " facts, " + purged.counts().getOrDefault("episodes", 0)
                + " conversations, " + purged.counts().getOrDefault("tasks", 0) + " task texts, "
                + purged.counts().getOrDefault("documents", 0) + " documents. Spend rows stay, anonymised.");
        return Main.OK;
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Everything Steward holds about a user,"
            + " as JSON: account, teams, memory, tasks, approvals, documents, spend.",
            footer = {"", "Example:  steward users export alice -o alice.json"})
    static final class Export implements Callable<Integer> {
        @ParentCommand
        UsersCommand users;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
        Path output;

        @Override
        public Integer call() throws IOException {
            String json = Json.pretty(UsersCommand.usage(() -> data(users).export(name)));
            if (output == null) {
                System.out.println(json);
            } else {
                Files.writeString(output, json + "\n");
                System.err.println("Wrote everything about " + name.strip() + " to " + output + ".");
            }
            return Main.OK;
        }
    }
}
