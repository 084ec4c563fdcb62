package dev.steward.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * What mapping alone cannot check: required names, URLs, unique MCP server names; and ${NAME} values resolved
 * from the environment. Each mistake is a ConfigException at the line of its key in {@code source}.
 */
final class ConfigChecks {
    private final Map<String, String> env;
    private final ConfigText source;
    private final Path file;

    ConfigChecks(Map<String, String> env, ConfigText source) {
        this.env = env;
        this.source = source;
        this.file = source.file();
    }

    List<ProviderConfig> providers(List<ProviderConfig> providers) {
        List<ProviderConfig> checked = new ArrayList<>();
        for (int i = 0; i < providers.size(); i++) {
            checked.add(provider(providers.get(i), "/providers/" + i));
        }
        return checked;
    }

    private ProviderConfig provider(ProviderConfig provider, String pointer) {
        if (provider.name() == null || provider.name().isBlank()) {
            throw ConfigException.inFile(file, source.firstLineUnder(pointer), pointer.substring(1).replace('/', '.'),
                    "a provider needs a name", "add 'name: my-provider'");
        }
        if (provider.kind() == null) {
            throw ConfigException.inFile(file, source.lineOf(pointer + "/name"), "providers." + provider.name(),
                    "a provider needs a kind", "add 'kind: openai' (or anthropic, ollama)");
        }
        for (int m = 0; m < provider.models().size(); m++) {
            String model = provider.models().get(m).name();
            if (model == null || model.isBlank()) {
                throw ConfigException.inFile(file, source.firstLineUnder(pointer + "/models/" + m),
                        "providers." + provider.name() + ".models." + m, "a model needs a name",
                        "add 'name: ' and the model's id as the server knows it");
            }
        }
        String apiKey = resolve(provider.apiKey(), pointer + "/api_key", "providers." + provider.name() + ".api_key", "key");
        String baseUrl = provider.baseUrl() == null
                ? EnvironmentProviders.defaultBaseUrl(provider.kind()) : provider.baseUrl().strip();
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw ConfigException.inFile(file, source.lineOf(pointer + "/base_url"),
                    "providers." + provider.name() + ".base_url", "'" + baseUrl + "' is not an http(s) URL",
                    "write it like http://localhost:8000/v1");
        }
        return new ProviderConfig(provider.name(), provider.kind(), EnvironmentProviders.stripSlash(baseUrl), apiKey,
                provider.models(), "steward.yaml");
    }

    /** {@code overrides}: which pointers an environment variable set; a value from there is named by the variable. */
    DatabaseConfig database(DatabaseConfig database, Map<String, String> overrides) {
        String url = database.url();
        if (!url.isEmpty() && !url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            String variable = overrides.get("/database/url");
            throw new ConfigException(variable != null ? variable : source.at("/database/url"), "database.url",
                    "'" + url + "' is neither a SQLite nor a PostgreSQL JDBC URL",
                    "leave it empty for SQLite in STEWARD_HOME, or write jdbc:postgresql://HOST:5432/DATABASE");
        }
        String password = overrides.containsKey("/database/password") ? database.password()
                : resolve(database.password(), "/database/password", "database.password", "password");
        return new DatabaseConfig(url, database.user(), password);
    }

    /** Each MCP server: a unique name, and either a command or an http(s) URL; ${NAME} in env values resolved. */
    List<McpServerConfig> mcpServers(List<McpServerConfig> servers) {
        List<McpServerConfig> checked = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            McpServerConfig server = servers.get(i);
            String pointer = "/mcp_servers/" + i;
            String key = "mcp_servers." + (server.name() == null ? String.valueOf(i) : server.name());
            if (server.name() == null || !McpServerConfig.NAME.matcher(server.name()).matches()) {
                throw ConfigException.inFile(file, source.firstLineUnder(pointer), key,
                        server.name() == null ? "an MCP server needs a name" : "'" + server.name() + "' is not a usable name",
                        "use letters, digits, '_' or '-' (its tools are called NAME.tool), like 'name: files'");
            }
            if (!names.add(server.name())) {
                throw ConfigException.inFile(file, source.lineOf(pointer + "/name"), key,
                        "two MCP servers are named " + server.name(), "rename or remove one of them");
            }
            if ((server.command() == null) == (server.url() == null)) {
                throw ConfigException.inFile(file, source.lineOf(pointer + "/name"), key,
                        server.command() == null ? "an MCP server needs a command or a url" : "it has both a command and a url",
                        "give either 'command:' (and 'args:') for a local server, or 'url:' for one over HTTP");
            }
            if (server.url() != null && !server.url().startsWith("http://") && !server.url().startsWith("https://")) {
                throw ConfigException.inFile(file, source.lineOf(pointer + "/url"), key + ".url",
                        "'" + server.url() + "' is not an http(s) URL", "write it like http://127.0.0.1:3001/mcp");
            }
            Map<String, String> serverEnv = new LinkedHashMap<>();
            server.env().forEach((name, value) -> serverEnv.put(name,
                    resolve(value, pointer + "/env/" + name, key + ".env." + name, "value")));
            checked.add(new McpServerConfig(server.name(), server.command(), server.args(), serverEnv, server.url(),
                    server.readOnly(), server.timeoutSeconds()));
        }
        return checked;
    }

    /** SQL database passwords written as ${NAME} come from the environment, like provider keys. */
    ActionsConfig actions(ActionsConfig actions) {
        Map<String, ActionsConfig.SqlDatabase> databases = new LinkedHashMap<>();
        actions.databases().forEach((name, db) -> {
            String pointer = "/actions/databases/" + name;
            if (db.url() == null || !db.url().startsWith("jdbc:sqlite:") && !db.url().startsWith("jdbc:postgresql:")) {
                throw ConfigException.inFile(file, source.lineOf(pointer), "actions.databases." + name,
                        db.url() == null ? "a database needs a url"
                                : "'" + db.url() + "' is neither a SQLite nor a PostgreSQL JDBC URL",
                        "write jdbc:sqlite:/path/to/file.db or jdbc:postgresql://HOST:5432/DB");
            }
            databases.put(name, new ActionsConfig.SqlDatabase(db.url(), db.user(),
                    resolve(db.password(), pointer + "/password", "actions.databases." + name + ".password", "password"),
                    db.allowWrite(), db.maxRows(), db.timeoutSeconds()));
        });
        return new ActionsConfig(actions.policy(), actions.tools(), actions.roles(), actions.approvalTtlSeconds(),
                actions.rateLimits(), actions.http(), actions.shell(), actions.files(), databases);
    }

    /** A value written as ${NAME} is the variable's value; a missing variable is the user's mistake, named. */
    private String resolve(String value, String pointer, String key, String what) {
        if (value == null) {
            return null;
        }
        Matcher reference = ConfigText.ENV_REFERENCE.matcher(value.strip());
        if (!reference.matches()) {
            return value;
        }
        String resolved = env.get(reference.group(1));
        if (resolved == null || resolved.isBlank()) {
            throw ConfigException.inFile(file, source.lineOf(pointer), key,
                    "refers to " + reference.group(1) + ", which is not set",
                    "export " + reference.group(1) + "=... or write the " + what + " in the file");
        }
        return resolved;
    }
}
