package dev.steward.app;

import dev.steward.identity.Accounts.ApiKey;
import dev.steward.identity.Accounts;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "API keys for 'steward serve' (Authorization: Bearer KEY); stored hashed, shown once.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand extends CommandGroup {

    Accounts accounts() {
        return parent.steward().accounts();
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Make a key for a user and print it alone on stdout; it is never shown again.",
            footer = {"", "Example:  KEY=$(steward keys create --user alice --name laptop)"})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Option(names = "--user", required = true, paramLabel = "NAME", description = "Whose key it is.")
        String user;

        @Option(names = "--name", paramLabel = "LABEL", description = "What it is for (default: default).")
        String label;

        @Override
        public Integer call() {
            Accounts.NewKey made = UsersCommand.usage(() -> keys.accounts().createKey(user, label));
            System.out.println(made.secret());
            System.err.println("Key " + made.key().id() + " (" + made.key().name() + ") for " + made.key().userName()
                    + ". It is shown only now; 'steward keys revoke " + made.key().id() + "' ends it.");
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every key (or one user's), newest first.")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Option(names = "--user", paramLabel = "NAME", description = "Only this user's keys.")
        String user;

        @Override
        public Integer call() {
            System.out.printf("%-10s  %-16s  %-12s  %-12s  %-19s  %-19s  %s%n",
                    "ID", "USER", "NAME", "PREFIX", "CREATED", "LAST USED", "STATUS");
            for (ApiKey k : UsersCommand.usage(() -> keys.accounts().keys(user))) {
                System.out.printf("%-10s  %-16s  %-12s  %-12s  %-19s  %-19s  %s%n", k.id(), k.userName(), k.name(),
                        k.prefix() + "…", time(k.createdAt()), k.lastUsedAt() == null ? "never" : time(k.lastUsedAt()),
                        k.revokedAt() == null ? "active" : "revoked " + time(k.revokedAt()));
            }
            return Main.OK;
        }

        private static String time(long millis) {
            return Output.time(millis);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a key: a running server refuses it within seconds.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        KeysCommand keys;

        @Parameters(paramLabel = "ID", description = "The key's id (see 'steward keys list').")
        String id;

        @Override
        public Integer call() {
            ApiKey key = UsersCommand.usage(() -> keys.accounts().revokeKey(id));
            System.out.println("Revoked key " + key.id() + " (" + key.name() + ") of " + key.userName() + ".");
            return Main.OK;
        }
    }
}
