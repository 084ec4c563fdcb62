package dev.steward.app;

import dev.steward.config.ConfigLoader;
import dev.steward.config.secrets.SecretStore;
import dev.steward.config.secrets.SecretStoreException;
import dev.steward.support.UsageException;
import java.io.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The encrypted secret store. It works without reading steward.yaml, so that a secret the file refers to can be
 * stored before the file loads.
 */
@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = {"Secrets encrypted at rest (Tink AES-256-GCM) in STEWARD_HOME; steward.yaml refers to them as "
                + "${secret:NAME}.",
                "The key is STEWARD_HOME/secrets.keyset.json (0600), or STEWARD_SECRETS_KEYSET / "
                        + "STEWARD_SECRETS_KEYSET_FILE for operators."},
        subcommands = {SecretsCommand.Set.class, SecretsCommand.ListSecrets.class, SecretsCommand.Remove.class,
                SecretsCommand.RotateKey.class})
final class SecretsCommand extends CommandGroup {

    SecretStore store() {
        return SecretStore.open(new ConfigLoader(parent.env()).home(), parent.env());
    }

    /** Runs an action on the store; its mistakes are the user's to fix (exit 2). */
    static <T> T using(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (SecretStoreException e) {
            throw new UsageException(e.getMessage());
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Store a secret; the value is read from standard input (never from the command line, "
                    + "where other users and the shell history would see it).",
                    "Example: printf %%s \"$MAIL_PASSWORD\" | steward secrets set MAIL_PASSWORD"})
    static final class Set implements Callable<Integer> {
        @ParentCommand
        SecretsCommand secrets;

        @Parameters(paramLabel = "NAME", description = "Letters, digits, '_', '.', '-'; written ${secret:NAME} in steward.yaml.")
        String name;

        @Override
        public Integer call() {
            SecretStore store = secrets.store();
            using(() -> {
                SecretStore.checkName(name);
                return null;
            });
            String value = readValue(name);
            using(() -> {
                store.set(name, value);
                return null;
            });
            System.out.println("Stored secret " + name + " (encrypted with " + store.keysetLocation() + ").");
            return Main.OK;
        }

        /** A person at a terminal (Java 22+ has a Console even when input is piped; it then says it is no terminal). */
        private static boolean interactive(Console console) {
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }

        private static String readValue(String name) {
            Console console = System.console();
            if (interactive(console)) {
                char[] typed = console.readPassword("Value of %s (not shown): ", name);
                return typed == null ? "" : new String(typed);
            }
            try {
                String piped = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                // One trailing newline is the echo or the here-string's, not part of the secret.
                return piped.endsWith("\r\n") ? piped.substring(0, piped.length() - 2)
                        : piped.endsWith("\n") ? piped.substring(0, piped.length() - 1) : piped;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The names of the stored secrets (never their values).")
    static final class ListSecrets implements Callable<Integer> {
        @ParentCommand
        SecretsCommand secrets;

        @Override
        public Integer call() {
            List<String> names = using(() -> secrets.store().names());
            if (names.isEmpty()) {
                System.out.println("No secrets stored. Add one with: steward secrets set NAME  (value on standard input)");
            }
            names.forEach(System.out::println);
            return Main.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a stored secret.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        SecretsCommand secrets;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            if (!using(() -> secrets.store().remove(name))) {
                throw new UsageException("no secret named " + name + " (see 'steward secrets list')");
            }
            System.out.println("Removed secret " + name + ".");
            return Main.OK;
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = "Encrypt every secret again under a new key, then drop the old key.")
    static final class RotateKey implements Callable<Integer> {
        @ParentCommand
        SecretsCommand secrets;

        @Override
        public Integer call() {
            SecretStore store = secrets.store();
            int count = using(store::rotateKey);
            System.out.println("New key in " + store.keysetLocation() + "; " + count + " secret"
                    + (count == 1 ? "" : "s") + " encrypted again. Back up the keyset: without it they cannot be read.");
            return Main.OK;
        }
    }
}
