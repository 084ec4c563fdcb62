package dev.steward.app;

import dev.steward.config.Role;
import dev.steward.identity.Accounts.User;
import dev.steward.identity.Accounts;
import dev.steward.support.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "users", mixinStandardHelpOptions = true,
        description = "The people who may use 'steward serve': admin (everything), standard (chat, tools under the"
                + " policy, own memory), limited (chat only).",
        subcommands = {UsersCommand.Add.class, UsersCommand.ListUsers.class, UsersCommand.Remove.class,
                UsersCommand.Passwd.class, UserDataCommands.Export.class})
final class UsersCommand extends CommandGroup {

    Accounts accounts() {
        return parent.steward().accounts();
    }

    /** A password from stdin (one line), or a generated one that is printed once. */
    static String password(boolean fromStdin) {
        if (!fromStdin) {
            return Accounts.generatePassword();
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new UsageException("--password-stdin read no password; pipe one in, e.g."
                        + " printf '%s' \"$PASSWORD\" | steward users add NAME --password-stdin");
            }
            return line;
        } catch (IOException e) {
            throw new UsageException("cannot read the password from stdin: " + e.getMessage());
        }
    }

    static <T> T usage(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a user. Prints a generated password once, on stdout (or reads one with --password-stdin).",
            footer = {"", "Example:  steward users add alice --role standard"})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        UsersCommand users;

        @Parameters(paramLabel = "NAME", description = "Login name: letters, digits, '.', '_' or '-'.")
        String name;

        @Option(names = "--role", required = true, description = "admin, standard or limited.")
        String role;

        @Option(names = "--password-stdin", description = "Read the password (one line) from stdin.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            Role parsed = usage(() -> Role.fromId(role));
            String password = password(passwordStdin);
            User user = usage(() -> users.accounts().addUser(name, parsed, password));
            System.err.println("Added " + user.name() + " (" + user.role().id() + ")."
                    + (passwordStdin ? "" : " Their password, shown only now:"));
            if (!passwordStdin) {
                System.out.println(password);
            }
            return Main.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The users, with their roles.")
    static final class ListUsers implements Callable<Integer> {
        @ParentCommand
        UsersCommand users;

        @Override
        public Integer call() {
            System.out.printf("%-10s  %-20s  %-8s  %s%n", "ID", "NAME", "ROLE", "CREATED");
            for (User u : users.accounts().users()) {
                System.out.printf("%-10s  %-20s  %-8s  %s%n", u.id(), u.name(), u.role().id(),
                        u.createdAt() == 0 ? "-" : Output.time(u.createdAt()));
            }
            return Main.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a user: they can no longer log in and their keys stop working; their records stay"
                    + " (with --purge: their memory, task texts and documents are deleted, from disk too).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        UsersCommand users;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--purge", description = "Also delete their facts, conversations, task texts and documents"
                + " from the database and the search index; spend rows stay, anonymised.")
        boolean purge;

        @Override
        public Integer call() {
            if (purge) {
                return UserDataCommands.purge(users, name);
            }
            User user = usage(() -> users.accounts().removeUser(name));
            System.out.println("Removed " + user.name() + "; their keys are revoked.");
            return Main.OK;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set a new password: generated and printed once, or read with --password-stdin.")
    static final class Passwd implements Callable<Integer> {
        @ParentCommand
        UsersCommand users;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--password-stdin", description = "Read the password (one line) from stdin.")
        boolean passwordStdin;

        @Override
        public Integer call() {
            String password = password(passwordStdin);
            usage(() -> {
                users.accounts().setPassword(name, password);
                return null;
            });
            System.err.println("New password set for " + name.strip() + "."
                    + (passwordStdin ? "" : " It is shown only now:"));
            if (!passwordStdin) {
                System.out.println(password);
            }
            return Main.OK;
        }
    }
}
