package dev.steward.app;

import dev.steward.config.ConfigLoader;
import dev.steward.config.secrets.SecretStore;
import dev.steward.config.secrets.Totp;
import dev.steward.support.UsageException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** One-time codes (RFC 6238) for approvals that need more than a click, such as payments above a set amount. */
@Command(name = "totp", mixinStandardHelpOptions = true,
        description = "One-time codes for approvals that need a second factor (payments above second_factor_above).",
        subcommands = TotpCommand.Setup.class)
final class TotpCommand extends CommandGroup {
    /** The secret store name of a user's TOTP secret. */
    static String secretName(String userId) {
        return "totp." + userId;
    }

    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = {"Make a TOTP secret for a user, store it encrypted, and print it (and an otpauth:// URI) "
                    + "for an authenticator app.",
                    "Then approve with: steward approvals approve ID --code 123456"})
    static final class Setup implements Callable<Integer> {
        @ParentCommand
        TotpCommand totp;

        @Option(names = "--user", defaultValue = Steward.LOCAL_USER,
                description = "Whose code it is (default ${DEFAULT-VALUE}, the local user).")
        String user;

        @Option(names = "--force", description = "Replace an existing secret (the old codes stop working).")
        boolean force;

        @Override
        public Integer call() {
            SecretStore store = SecretStore.open(new ConfigLoader(totp.parent.env()).home(), totp.parent.env());
            String name = secretName(user);
            SecretsCommand.using(() -> {
                if (!force && store.get(name).isPresent()) {
                    throw new UsageException("user " + user + " already has a TOTP secret; run again with --force "
                            + "to replace it (codes from the old one stop working)");
                }
                return null;
            });
            String secret = Totp.newSecret();
            SecretsCommand.using(() -> {
                store.set(name, secret);
                return null;
            });
            System.out.println("TOTP secret for " + user + " (add it to your authenticator app):");
            System.out.println("  " + secret);
            System.out.println("  " + Totp.uri("Steward", user, secret));
            System.out.println("Stored encrypted as secret " + name + ". Approvals that need a code: "
                    + "steward approvals approve ID --code 123456");
            return Main.OK;
        }
    }
}
