package dev.steward.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.steward.config.ModelConfig;
import dev.steward.config.ProviderConfig;
import dev.steward.config.StewardConfig;
import dev.steward.support.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show the configuration in effect, or where it lives.",
        subcommands = {ConfigCommand.Show.class, ConfigCommand.PathOf.class})
final class ConfigCommand extends CommandGroup {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "The effective configuration (steward.yaml with the environment laid over it), secrets masked.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Option(names = "--json", description = "Print JSON instead of YAML.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ObjectNode shown = describe(config.parent.steward().config());
            System.out.print(json ? Json.pretty(shown) + "\n" : YAML.writeValueAsString(shown));
            return Main.OK;
        }
    }

    @Command(name = "path", mixinStandardHelpOptions = true, description = "The path of steward.yaml.")
    static final class PathOf implements Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Override
        public Integer call() {
            System.out.println(config.parent.steward().config().file());
            return Main.OK;
        }
    }

    static ObjectNode describe(StewardConfig config) {
        ObjectNode root = Json.object();
        root.put("home", config.home().toString());
        root.put("file", config.file().toString());
        root.putObject("routing").put("mode", config.routing().mode().id());
        ArrayNode providers = root.putArray("providers");
        for (ProviderConfig p : config.providers()) {
            ObjectNode node = providers.addObject()
                    .put("name", p.name())
                    .put("kind", p.kind().id())
                    .put("base_url", maskUrl(p.baseUrl()))
                    .put("api_key", mask(p.apiKey()))
                    .put("from", p.source());
            if (!p.models().isEmpty()) {
                ArrayNode models = node.putArray("models");
                for (ModelConfig m : p.models()) {
                    models.add(Json.mapper().valueToTree(m));
                }
            }
        }
        ObjectNode database = root.putObject("database");
        database.put("url", config.database().url().isEmpty()
                ? "(SQLite at " + config.home().resolve("steward.db") + ")" : maskUrl(config.database().url()));
        if (config.database().user() != null) {
            database.put("user", config.database().user());
        }
        if (config.database().password() != null) {
            database.put("password", mask(config.database().password()));
        }
        root.put("workspace", config.workspace().toString());
        ObjectNode actions = Json.mapper().valueToTree(config.actions());
        ObjectNode databases = actions.putObject("databases");
        config.actions().databases().forEach((name, db) -> {
            ObjectNode entry = Json.mapper().valueToTree(db);
            entry.put("url", maskUrl(db.url()));
            if (db.password() != null) {
                entry.put("password", mask(db.password()));
            }
            databases.set(name, entry);
        });
        root.set("actions", actions);
        ArrayNode mcpServers = root.putArray("mcp_servers");
        for (var server : config.mcpServers()) {
            ObjectNode entry = Json.mapper().valueToTree(server);
            entry.remove("stdio");
            entry.remove("target");
            if (server.url() != null) {
                entry.put("url", maskUrl(server.url()));
            }
            ObjectNode env = entry.putObject("env");
            server.env().forEach((name, value) -> env.put(name, mask(value))); // tokens often travel this way
            mcpServers.add(entry);
        }
        return root;
    }

    /** A URL with its password masked, wherever URLs keep one: user:password@host, or password= in the query. */
    static String maskUrl(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("(//[^/@:]*:)[^/@]*@", "$1****@")
                .replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    /** Enough of a secret to tell two keys apart, never enough to use one. */
    static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return null;
        }
        return secret.length() <= 8 ? "****" : "****" + secret.substring(secret.length() - 4);
    }
}
