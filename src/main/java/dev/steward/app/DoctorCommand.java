package dev.steward.app;

import dev.steward.config.ConfigException;
import dev.steward.config.ProviderConfig;
import dev.steward.config.StewardConfig;
import dev.steward.router.ProviderProbe;
import dev.steward.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check that Steward can run here; every problem comes with its fix.",
                "Checks Java, home, configuration, database, model providers, and the tools the sandbox and "
                        + "browser need."},
        footer = {"", "With --deep it also reads the data: database integrity, the search index against the facts, "
                + "the audit chain, providers' error rates, disk, backlogs and budgets near their limit.",
                "", "Exit code 0 when nothing failed (warnings allowed), 1 otherwise."})
final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    StewardCommand parent;

    @picocli.CommandLine.Option(names = "--deep", description = "Also check the data itself (slower on a large "
            + "database): integrity, index, audit chain, error rates, backlogs, budgets.")
    boolean deep;

    enum Level { OK, WARN, FAIL }

    record Check(Level level, String name, String detail, String fix) {
        String render() {
            String mark = switch (level) {
                case OK -> "ok  ";
                case WARN -> "warn";
                case FAIL -> "FAIL";
            };
            return String.format("%s  %-12s %s%s", mark, name, detail, fix == null ? "" : "\n      fix: " + fix);
        }
    }

    @Override
    public Integer call() {
        List<Check> checks = new ArrayList<>();
        checks.add(java());
        StewardConfig config = null;
        try {
            config = parent.steward().config();
            checks.add(new Check(Level.OK, "config", config.file().toString(), null));
        } catch (ConfigException e) {
            checks.add(new Check(Level.FAIL, "config", e.getMessage(), "edit the file as the message says, then run steward doctor again"));
        }
        if (config != null) {
            checks.add(home(config.home()));
            checks.add(database());
            checks.addAll(providers(config));
            checks.addAll(ConnectCommand.doctorChecks(config));
            if (deep) {
                parent.steward().selfDiagnosis().run().forEach(c -> checks.add(new Check(
                        Level.valueOf(c.level().name()), c.name(), c.detail(), c.fix())));
            }
        }
        checks.add(program("bubblewrap", List.of("bwrap", "--version"),
                "needed by the shell tool's sandbox: sudo apt-get install bubblewrap"));
        checks.add(program("chromium", List.of("chromium", "--version"),
                "needed by the browser tool and the UI tests: sudo apt-get install chromium"));
        checks.forEach(c -> System.out.println(c.render()));
        long failed = checks.stream().filter(c -> c.level() == Level.FAIL).count();
        long warned = checks.stream().filter(c -> c.level() == Level.WARN).count();
        System.out.println();
        System.out.println(failed == 0 ? "Steward is ready" + (warned == 0 ? "." : " (" + warned + " warning(s) above).")
                : failed + " check(s) failed; fix them and run 'steward doctor' again.");
        return failed == 0 ? Main.OK : Main.TASK_FAILED;
    }

    private static Check java() {
        Runtime.Version version = Runtime.version();
        String where = System.getProperty("java.home");
        return version.feature() >= 21
                ? new Check(Level.OK, "java", "Java " + version + " (" + where + ")", null)
                : new Check(Level.FAIL, "java", "Java " + version + " is too old", "install a JDK 21 or newer, e.g. sudo apt-get install openjdk-21-jdk");
    }

    private static Check home(Path home) {
        try {
            Path probe = Files.createTempFile(home, ".doctor", ".tmp");
            Files.delete(probe);
            long free = Files.getFileStore(home).getUsableSpace();
            if (free < 100L * 1024 * 1024) {
                return new Check(Level.WARN, "home", home + " is writable but only " + free / (1024 * 1024) + " MB are free",
                        "free some disk space: Steward needs room for its database and index");
            }
            return new Check(Level.OK, "home", home + " (writable, " + free / (1024L * 1024 * 1024) + " GB free)", null);
        } catch (IOException e) {
            return new Check(Level.FAIL, "home", home + " is not writable (" + e.getMessage() + ")",
                    "set STEWARD_HOME to a folder you can write to");
        }
    }

    private Check database() {
        try {
            Database database = parent.steward().database();
            String integrity = database.dialect() == Database.Dialect.SQLITE
                    ? database.jdbi().withHandle(h -> h.createQuery("PRAGMA quick_check").mapTo(String.class).one())
                    : "ok";
            if (!"ok".equals(integrity)) {
                return new Check(Level.FAIL, "database", database.url() + " is damaged: " + integrity,
                        "stop Steward, move steward.db away and start again (it begins a new one)");
            }
            return new Check(Level.OK, "database", database.url() + " (schema v" + database.schemaVersion() + ")", null);
        } catch (RuntimeException e) {
            StewardConfig config = parent.steward().config();
            String url = config.database().url();
            return new Check(Level.FAIL, "database", "cannot open: " + e.getMessage(),
                    url.isEmpty() || url.startsWith("jdbc:sqlite:")
                            ? "if the database file is damaged, move it away and Steward starts a new one; "
                                    + "otherwise check that " + config.home() + " is writable and has free space"
                            : "check database.url (in steward.yaml, or STEWARD_DATABASE_URL) and that PostgreSQL is running there");
        }
    }

    private List<Check> providers(StewardConfig config) {
        List<ProviderProbe> probes = parent.steward().catalog().probe();
        if (probes.isEmpty()) {
            return List.of(new Check(Level.WARN, "models", "no model provider configured: Steward runs offline",
                    "connect one: start Ollama (it is found on localhost:11434, or set OLLAMA_HOST), "
                            + "or export OPENAI_BASE_URL (+ OPENAI_API_KEY) for any OpenAI-compatible server, "
                            + "or export OPENAI_API_KEY / ANTHROPIC_API_KEY for a cloud model"));
        }
        Map<String, String> sources = config.providers().stream()
                .collect(Collectors.toMap(ProviderConfig::name, ProviderConfig::source, (a, b) -> a));
        return probes.stream().map(probe -> {
            String name = "model:" + probe.provider();
            String source = sources.getOrDefault(probe.provider(), "discovered on localhost:11434");
            if (probe.ok()) {
                return new Check(Level.OK, name, probe.baseUrl() + " reachable (" + probe.modelCount() + " models, "
                        + probe.latency().toMillis() + " ms)", null);
            }
            return new Check(Level.FAIL, name, (probe.reachable() ? "answered but refused: " : "unreachable: ")
                    + probe.error(), probe.reachable()
                    ? "check the API key and base_url (from " + source + ")"
                    : "start the server, or fix its address (from " + source + ")");
        }).toList();
    }

    private static Check program(String name, List<String> command, String fix) {
        try {
            // stdout and stderr apart: wrappers such as Debian's chromium script print warnings on stderr first.
            // A --version line fits in the pipe, so waiting before reading cannot block the program.
            Process process = new ProcessBuilder(command).start();
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Check(Level.WARN, name, String.join(" ", command) + " did not answer in 5 s", fix);
            }
            String output = new String(process.getInputStream().readAllBytes()).strip();
            String errors = new String(process.getErrorStream().readAllBytes()).strip();
            String why = (errors.isEmpty() ? output : errors).lines().findFirst().orElse("exit " + process.exitValue());
            return process.exitValue() == 0
                    ? new Check(Level.OK, name, output.lines().findFirst().orElse(name), null)
                    : new Check(Level.WARN, name, String.join(" ", command) + " failed: " + why, fix);
        } catch (IOException e) {
            return new Check(Level.WARN, name, "not installed", fix);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(Level.WARN, name, "check interrupted", fix);
        }
    }
}
