package dev.steward.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.app.InProcessCli.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** steward users and steward keys, run in-process as a user would type them. */
class UsersAndKeysCliTest {
    @TempDir
    Path home;

    private Run steward(String stdin, String... args) {
        return InProcessCli.run(home, stdin, args);
    }

    @Test
    void addingAUserPrintsTheirGeneratedPasswordAloneOnStdoutOnce() {
        Run added = steward("", "users", "add", "Alice", "--role", "standard");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out().strip()).matches("[A-Za-z0-9]{20}");
        assertThat(added.err()).contains("Added alice (standard)");
        Run list = steward("", "users", "list");
        assertThat(list.out()).containsPattern("alice\\s+standard").containsPattern("local\\s+admin")
                .doesNotContain(added.out().strip());
        Run again = steward("", "users", "add", "alice", "--role", "admin");
        assertThat(again.exit()).isEqualTo(Main.USAGE);
        assertThat(again.err().strip()).isEqualTo("steward: a user named 'alice' exists already (see 'steward users list')");
    }

    @Test
    void passwordsCanComeFromStdinAndBadInputIsAUsageError() {
        Run piped = steward("correct horse battery\n", "users", "add", "bob", "--role", "limited", "--password-stdin");
        assertThat(piped.exit()).isZero();
        assertThat(piped.out()).isEmpty();
        Run role = steward("", "users", "add", "carol", "--role", "boss");
        assertThat(role.exit()).isEqualTo(Main.USAGE);
        assertThat(role.err().strip()).isEqualTo("steward: no role 'boss'; use admin, standard or limited");
        Run shortPassword = steward("short\n", "users", "passwd", "bob", "--password-stdin");
        assertThat(shortPassword.exit()).isEqualTo(Main.USAGE);
        assertThat(shortPassword.err()).contains("at least 8 characters");
        Run name = steward("", "users", "add", "no spaces", "--role", "standard");
        assertThat(name.err()).contains("is not a user name");
        Run local = steward("", "users", "remove", "local");
        assertThat(local.exit()).isEqualTo(Main.USAGE);
        assertThat(local.err()).contains("cannot be removed");
    }

    @Test
    void aKeyIsPrintedAloneStoredHashedListedByPrefixAndRevocable() throws Exception {
        steward("", "users", "add", "dana", "--role", "standard");
        Run created = steward("", "keys", "create", "--user", "dana", "--name", "laptop");
        assertThat(created.exit()).as(created.err()).isZero();
        String key = created.out().strip();
        assertThat(created.out()).isEqualTo(key + "\n");
        assertThat(key).matches("stw_[A-Za-z0-9]{43}");
        byte[] database = Files.readAllBytes(home.resolve("steward.db"));
        assertThat(new String(database, StandardCharsets.ISO_8859_1)).doesNotContain(key);
        Run list = steward("", "keys", "list");
        assertThat(list.out()).contains("dana", "laptop", key.substring(0, 10) + "…", "never", "active")
                .doesNotContain(key);
        String id = list.out().lines().filter(l -> l.contains("laptop")).findFirst().orElseThrow().split("\\s+")[0];
        Run revoked = steward("", "keys", "revoke", id);
        assertThat(revoked.exit()).isZero();
        assertThat(steward("", "keys", "list", "--user", "dana").out()).contains("revoked");
        assertThat(steward("", "keys", "revoke", id).err()).contains("revoked already");
        assertThat(steward("", "keys", "create", "--user", "nobody").err().strip())
                .isEqualTo("steward: no user 'nobody' (see 'steward users list')");
        Run removed = steward("", "users", "remove", "dana");
        assertThat(removed.exit()).isZero();
        assertThat(steward("", "users", "list").out()).doesNotContain("dana");
    }

    @Test
    void theSessionSecretIsMadeOnceAndOnlyItsOwnerCanReadIt() throws Exception {
        var accounts = new dev.steward.identity.Accounts(
                dev.steward.store.Database.open(home, dev.steward.config.DatabaseConfig.embedded()),
                java.time.Clock.systemUTC());
        assertThat(accounts.users()).extracting(u -> u.name()).containsExactly("local");
        Path secret = home.resolve("server.secret");
        try (Steward steward = Steward.load(Map.of("STEWARD_HOME", home.toString()), Steward.Lifetime.SHORT)) {
            var server = dev.steward.server.HttpServer.start(
                    dev.steward.server.HttpServer.Options.defaults("127.0.0.1", 0), steward.services(), null);
            server.stop();
        }
        assertThat(Files.getPosixFilePermissions(secret)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        String first = Files.readString(secret);
        try (Steward steward = Steward.load(Map.of("STEWARD_HOME", home.toString()), Steward.Lifetime.SHORT)) {
            dev.steward.server.HttpServer.start(dev.steward.server.HttpServer.Options.defaults("127.0.0.1", 0),
                    steward.services(), null).stop();
        }
        assertThat(Files.readString(secret)).isEqualTo(first);
    }
}
