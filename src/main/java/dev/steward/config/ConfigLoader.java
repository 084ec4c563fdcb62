package dev.steward.config;

import dev.steward.support.Text;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads {@code STEWARD_HOME/steward.yaml} and lays the environment over it. Every user mistake becomes a
 * {@link ConfigException} that names the file and line (or the variable), the key and the fix.
 */
public final class ConfigLoader {
    public static final String FILE_NAME = "steward.yaml";

    /** STEWARD_* variables that are not configuration keys. */
    private static final Set<String> RESERVED = Set.of(
            "STEWARD_HOME", "STEWARD_DEBUG", "STEWARD_JAVA_HOME", "STEWARD_JAVA_OPTS", "STEWARD_NO_BUILD",
            "STEWARD_JDK_ROOTS");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** STEWARD_HOME, or ~/.steward. */
    public Path home() {
        String home = env.get("STEWARD_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        return Path.of(System.getProperty("user.home"), ".steward");
    }

    /** Loads the configuration, creating the home and a commented steward.yaml on first run. */
    public StewardConfig load() {
        Path home = home();
        Path file = home.resolve(FILE_NAME);
        createHome(home, file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), null, "cannot read the file (" + e.getMessage() + ")",
                    "check its permissions, or move it away to get a fresh default");
        }
        return parse(home, file, text);
    }

    /** Checks that text is a valid configuration, as an edit is about to write it; throws ConfigException if not. */
    void parseForCheck(Path home, Path file, String text) {
        ObjectNode tree = readTree(file, text);
        map(tree, file, text, Map.of());
    }

    /** Parses configuration text as if it were the file at {@code file}. */
    StewardConfig parse(Path home, Path file, String text) {
        ObjectNode tree = readTree(file, text);
        // Map the file alone first, so that type errors point at its lines.
        ConfigFile fromFile = map(tree, file, text, Map.of());
        Map<String, String> overrides = applyEnvironment(tree, referencedVariables(text));
        ConfigFile merged = overrides.isEmpty() ? fromFile : map(tree, file, text, overrides);
        List<ProviderConfig> providers = new ArrayList<>();
        for (int i = 0; i < merged.providers().size(); i++) {
            providers.add(checkProvider(merged.providers().get(i), file, text, "/providers/" + i));
        }
        mergeEnvironmentProviders(providers);
        return new StewardConfig(home, file, merged.routing(), providers, merged.budgets(), merged.cache(),
                checkDatabase(merged.database(), file, text, overrides),
                merged.workspace() == null ? null : Path.of(merged.workspace()), checkActions(merged.actions(), file, text),
                checkMcpServers(merged.mcpServers(), file, text), merged.agents(), merged.memory());
    }

    private static void createHome(Path home, Path file) {
        try {
            Files.createDirectories(home);
            Files.createDirectories(home.resolve("workspace"));
            if (Files.notExists(file)) {
                try (InputStream template = ConfigLoader.class.getResourceAsStream("steward.yaml")) {
                    Files.write(file, template.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new ConfigException("STEWARD_HOME=" + home, null,
                    "cannot create the Steward home (" + e.getMessage() + ")",
                    "set STEWARD_HOME to a folder you can write to");
        }
    }

    private static ObjectNode readTree(Path file, String text) {
        try {
            JsonNode node = YAML.readTree(text);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw ConfigException.inFile(file, 1, null, "the file must be a mapping of keys to values",
                        "start from the commented template: move the file away and run steward again");
            }
            return (ObjectNode) node;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            int line = where == null ? 0 : where.getLineNr();
            String problem = e.getOriginalMessage().lines().findFirst().orElse("");
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                // SnakeYAML's first line is the context ("while scanning ..."); the problem and its line say more.
                line = yaml.getProblemMark().getLine() + 1;
                problem = yaml.getProblem();
            }
            Matcher duplicate = Pattern.compile("Duplicate field '(.*)'").matcher(problem);
            if (duplicate.matches()) {
                throw ConfigException.inFile(file, line, duplicate.group(1), "this key is written twice at the same level",
                        "keep one of them: only the last would count");
            }
            throw ConfigException.inFile(file, line, null, "this is not valid YAML (" + problem + ")",
                    problem.contains("TAB")
                            ? "indent with spaces, not tabs"
                            : "check the indentation and quoting around that line");
        }
    }

    private static ConfigFile map(ObjectNode tree, Path file, String text, Map<String, String> overrides) {
        try {
            return YAML.treeToValue(tree, ConfigFile.class);
        } catch (JsonMappingException e) {
            String pointer = pointer(e.getPath());
            String key = keyOf(tree, pointer);
            String variable = overrides.get(pointer);
            String where = variable != null ? variable : file + (lineOf(text, pointer) > 0 ? ":" + lineOf(text, pointer) : "");
            JsonNode found = tree.at(pointer);
            throw new ConfigException(where, key, problem(e, found), fix(e, found));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The dotted key at a pointer, naming a provider by its name rather than its index where it has one. */
    private static String keyOf(ObjectNode tree, String pointer) {
        String key = pointer.substring(1).replace('/', '.');
        Matcher provider = Pattern.compile("providers\\.(\\d+)(\\..*)?").matcher(key);
        if (provider.matches()) {
            JsonNode name = tree.path("providers").path(Integer.parseInt(provider.group(1))).path("name");
            if (name.isTextual() && !name.asText().isBlank()) {
                return "providers." + name.asText() + (provider.group(2) == null ? "" : provider.group(2));
            }
        }
        return key;
    }

    private static String problem(JsonMappingException e, JsonNode found) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown key '" + unknown.getPropertyName() + "'";
        }
        if (e instanceof InvalidFormatException invalid) {
            return "'" + invalid.getValue() + "' is not a valid " + describe(invalid.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return mismatch.getTargetType().isEnum()
                    ? foundText(found) + " is not a valid value"
                    : "expected " + expected(mismatch.getTargetType()) + ", found " + foundText(found);
        }
        return e.getOriginalMessage().lines().findFirst().orElse("invalid value");
    }

    private static String expected(Class<?> type) {
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == String.class) {
            return "text";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type) || type.isEnum()) {
            return "a " + describe(type);
        }
        return "a mapping of keys to values";
    }

    private static String foundText(JsonNode found) {
        if (found == null || found.isMissingNode() || found.isNull()) {
            return "nothing";
        }
        if (found.isArray()) {
            return "a list";
        }
        if (found.isObject()) {
            return "a mapping";
        }
        return "'" + found.asText() + "'";
    }

    private static String fix(JsonMappingException e, JsonNode found) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            String closest = Text.closest(unknown.getPropertyName(), known.stream().map(String::valueOf).toList()).orElse(null);
            String all = known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return (closest != null ? "did you mean '" + closest + "'? " : "") + "known keys here: " + all;
        }
        if (e instanceof MismatchedInputException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            return "use one of: " + Arrays.stream(invalid.getTargetType().getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidFormatException invalid) {
            return "write a " + describe(invalid.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = expected(mismatch.getTargetType());
            return switch (expected) {
                case "a list" -> "write one entry per line, each starting with '- ', as in the commented template";
                case "a mapping of keys to values" -> "write 'key: value' lines indented under it, as in the commented template";
                case "text" -> "write a single value on the same line";
                default -> "write " + expected + (found == null || found.isNull() || found.isMissingNode()
                        ? ", or remove the line to use the default" : "");
            };
        }
        return "compare it with the commented template (move the file away and run steward to get a fresh one)";
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return "value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "whole number";
        }
        if (type == double.class || type == Double.class) {
            return "number";
        }
        return type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static String pointer(List<JsonMappingException.Reference> path) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            pointer.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
        }
        return pointer.isEmpty() ? "/" : pointer.toString();
    }

    /** The line of the key at a JSON pointer such as {@code /providers/0/base_url}, or 0 if it is not in the text. */
    static int lineOf(String text, String pointer) {
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME
                        && parser.getParsingContext().pathAsPointer().toString().equals(pointer)) {
                    return parser.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // The text was parsed once already; a failure here only costs the line number.
        }
        return 0;
    }

    /** The line of the first key inside the entry at a pointer such as {@code /providers/0}, or 0. */
    static int firstLineUnder(String text, String pointer) {
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME
                        && parser.getParsingContext().pathAsPointer().toString().startsWith(pointer + "/")) {
                    return parser.currentTokenLocation().getLineNr();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // As in lineOf: only the line number is lost.
        }
        return 0;
    }

    /** Lays STEWARD_* variables over the tree; returns which pointer each variable set. */
    private Map<String, String> applyEnvironment(ObjectNode tree, Set<String> referenced) {
        Map<String, String> keys = new TreeMap<>();
        collectLeaves(YAML.copy().setSerializationInclusion(JsonInclude.Include.ALWAYS)
                .valueToTree(ConfigFile.DEFAULTS), "", keys);
        Map<String, String> applied = new LinkedHashMap<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(env).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith("STEWARD_") || RESERVED.contains(name) || referenced.contains(name)) {
                continue;
            }
            String pointer = keys.get(name);
            if (pointer == null) {
                String closest = Text.closest(name, keys.keySet()).orElse(null);
                throw new ConfigException(name, null, "not a Steward setting",
                        (closest != null ? "did you mean " + closest + "? " : "")
                                + "settings from the environment: " + String.join(", ", keys.keySet()));
            }
            String[] parts = pointer.substring(1).split("/");
            ObjectNode parent = tree;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = parent.get(parts[i]);
                parent = child instanceof ObjectNode object ? object : parent.putObject(parts[i]);
            }
            parent.set(parts[parts.length - 1], variable.getValue().isEmpty()
                    ? NullNode.getInstance() : TextNode.valueOf(variable.getValue()));
            applied.put(pointer, name);
        }
        return applied;
    }

    /** Variables the file names as ${NAME}: those are the user's own, even when they start with STEWARD_. */
    private static Set<String> referencedVariables(String text) {
        Set<String> names = new HashSet<>();
        Matcher reference = ENV_REFERENCE.matcher(text);
        while (reference.find()) {
            names.add(reference.group(1));
        }
        return names;
    }

    private static void collectLeaves(JsonNode node, String pointer, Map<String, String> out) {
        if (node.isObject()) {
            // Entries of maps keyed by names (tools such as files.delete, users) are not settings of their own.
            node.fields().forEachRemaining(f -> {
                if (f.getKey().matches("[a-z0-9_]+")) {
                    collectLeaves(f.getValue(), pointer + "/" + f.getKey(), out);
                }
            });
        } else if (!node.isArray()) {
            out.put("STEWARD" + pointer.replace('/', '_').toUpperCase(Locale.ROOT), pointer);
        }
    }

    private ProviderConfig checkProvider(ProviderConfig provider, Path file, String text, String pointer) {
        if (provider.name() == null || provider.name().isBlank()) {
            throw ConfigException.inFile(file, firstLineUnder(text, pointer), pointer.substring(1).replace('/', '.'),
                    "a provider needs a name", "add 'name: my-provider'");
        }
        if (provider.kind() == null) {
            throw ConfigException.inFile(file, lineOf(text, pointer + "/name"), "providers." + provider.name(),
                    "a provider needs a kind", "add 'kind: openai' (or anthropic, ollama)");
        }
        for (int m = 0; m < provider.models().size(); m++) {
            String model = provider.models().get(m).name();
            if (model == null || model.isBlank()) {
                throw ConfigException.inFile(file, firstLineUnder(text, pointer + "/models/" + m),
                        "providers." + provider.name() + ".models." + m, "a model needs a name",
                        "add 'name: ' and the model's id as the server knows it");
            }
        }
        String apiKey = resolve(provider.apiKey(), file, text, pointer + "/api_key",
                "providers." + provider.name() + ".api_key", "key");
        String baseUrl = provider.baseUrl() == null ? defaultBaseUrl(provider.kind()) : provider.baseUrl().strip();
        if (!baseUrl.startsWith("http://") && !baseUrl.startsWith("https://")) {
            throw ConfigException.inFile(file, lineOf(text, pointer + "/base_url"),
                    "providers." + provider.name() + ".base_url", "'" + baseUrl + "' is not an http(s) URL",
                    "write it like http://localhost:8000/v1");
        }
        return new ProviderConfig(provider.name(), provider.kind(), stripSlash(baseUrl), apiKey,
                provider.models(), "steward.yaml");
    }

    /** A value written as ${NAME} is the variable's value; a missing variable is the user's mistake, named. */
    private String resolve(String value, Path file, String text, String pointer, String key, String what) {
        if (value == null) {
            return null;
        }
        Matcher reference = ENV_REFERENCE.matcher(value.strip());
        if (!reference.matches()) {
            return value;
        }
        String resolved = env.get(reference.group(1));
        if (resolved == null || resolved.isBlank()) {
            throw ConfigException.inFile(file, lineOf(text, pointer), key,
                    "refers to " + reference.group(1) + ", which is not set",
                    "export " + reference.group(1) + "=... or write the " + what + " in the file");
        }
        return resolved;
    }

    private DatabaseConfig checkDatabase(DatabaseConfig database, Path file, String text, Map<String, String> overrides) {
        String url = database.url();
        if (!url.isEmpty() && !url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            String variable = overrides.get("/database/url");
            String where = variable != null ? variable
                    : file + (lineOf(text, "/database/url") > 0 ? ":" + lineOf(text, "/database/url") : "");
            throw new ConfigException(where, "database.url", "'" + url + "' is neither a SQLite nor a PostgreSQL JDBC URL",
                    "leave it empty for SQLite in STEWARD_HOME, or write jdbc:postgresql://HOST:5432/DATABASE");
        }
        String password = overrides.containsKey("/database/password") ? database.password()
                : resolve(database.password(), file, text, "/database/password", "database.password", "password");
        return new DatabaseConfig(url, database.user(), password);
    }

    /** Each MCP server: a unique name, and either a command or an http(s) URL; ${NAME} in env values resolved. */
    private List<McpServerConfig> checkMcpServers(List<McpServerConfig> servers, Path file, String text) {
        List<McpServerConfig> checked = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            McpServerConfig server = servers.get(i);
            String pointer = "/mcp_servers/" + i;
            String key = "mcp_servers." + (server.name() == null ? String.valueOf(i) : server.name());
            if (server.name() == null || !McpServerConfig.NAME.matcher(server.name()).matches()) {
                throw ConfigException.inFile(file, firstLineUnder(text, pointer), key,
                        server.name() == null ? "an MCP server needs a name" : "'" + server.name() + "' is not a usable name",
                        "use letters, digits, '_' or '-' (its tools are called NAME.tool), like 'name: files'");
            }
            if (!names.add(server.name())) {
                throw ConfigException.inFile(file, lineOf(text, pointer + "/name"), key,
                        "two MCP servers are named " + server.name(), "rename or remove one of them");
            }
            if ((server.command() == null) == (server.url() == null)) {
                throw ConfigException.inFile(file, lineOf(text, pointer + "/name"), key,
                        server.command() == null ? "an MCP server needs a command or a url" : "it has both a command and a url",
                        "give either 'command:' (and 'args:') for a local server, or 'url:' for one over HTTP");
            }
            if (server.url() != null && !server.url().startsWith("http://") && !server.url().startsWith("https://")) {
                throw ConfigException.inFile(file, lineOf(text, pointer + "/url"), key + ".url",
                        "'" + server.url() + "' is not an http(s) URL", "write it like http://127.0.0.1:3001/mcp");
            }
            Map<String, String> env = new LinkedHashMap<>();
            server.env().forEach((name, value) -> env.put(name,
                    resolve(value, file, text, pointer + "/env/" + name, key + ".env." + name, "value")));
            checked.add(new McpServerConfig(server.name(), server.command(), server.args(), env, server.url(),
                    server.readOnly(), server.timeoutSeconds()));
        }
        return checked;
    }

    /** SQL database passwords written as ${NAME} come from the environment, like provider keys. */
    private ActionsConfig checkActions(ActionsConfig actions, Path file, String text) {
        Map<String, ActionsConfig.SqlDatabase> databases = new LinkedHashMap<>();
        actions.databases().forEach((name, db) -> {
            String pointer = "/actions/databases/" + name;
            if (db.url() == null || !db.url().startsWith("jdbc:sqlite:") && !db.url().startsWith("jdbc:postgresql:")) {
                throw ConfigException.inFile(file, lineOf(text, pointer), "actions.databases." + name,
                        db.url() == null ? "a database needs a url"
                                : "'" + db.url() + "' is neither a SQLite nor a PostgreSQL JDBC URL",
                        "write jdbc:sqlite:/path/to/file.db or jdbc:postgresql://HOST:5432/DB");
            }
            databases.put(name, new ActionsConfig.SqlDatabase(db.url(), db.user(),
                    resolve(db.password(), file, text, pointer + "/password", "actions.databases." + name + ".password",
                            "password"), db.allowWrite(), db.maxRows(), db.timeoutSeconds()));
        });
        return new ActionsConfig(actions.policy(), actions.tools(), actions.roles(), actions.approvalTtlSeconds(),
                actions.rateLimits(), actions.http(), actions.shell(), actions.files(), databases);
    }

    /** The environment conventions users know from other tools; an entry here replaces a file entry of the same name. */
    private void mergeEnvironmentProviders(List<ProviderConfig> providers) {
        String openAiKey = env.get("OPENAI_API_KEY");
        String openAiUrl = env.get("OPENAI_BASE_URL");
        if (notBlank(openAiKey) || notBlank(openAiUrl)) {
            put(providers, new ProviderConfig("openai", ProviderKind.OPENAI,
                    stripSlash(notBlank(openAiUrl) ? httpUrl("OPENAI_BASE_URL", openAiUrl.strip(), "http://localhost:8000/v1")
                            : defaultBaseUrl(ProviderKind.OPENAI)),
                    notBlank(openAiKey) ? openAiKey.strip() : null, List.of(),
                    notBlank(openAiKey) ? "OPENAI_API_KEY" : "OPENAI_BASE_URL"));
        }
        String anthropicKey = env.get("ANTHROPIC_API_KEY");
        if (notBlank(anthropicKey)) {
            String url = env.get("ANTHROPIC_BASE_URL");
            put(providers, new ProviderConfig("anthropic", ProviderKind.ANTHROPIC,
                    stripSlash(notBlank(url) ? httpUrl("ANTHROPIC_BASE_URL", url.strip(), "https://api.anthropic.com")
                            : defaultBaseUrl(ProviderKind.ANTHROPIC)),
                    anthropicKey.strip(), List.of(), "ANTHROPIC_API_KEY"));
        }
        String ollamaHost = env.get("OLLAMA_HOST");
        if (notBlank(ollamaHost)) {
            put(providers, new ProviderConfig("ollama", ProviderKind.OLLAMA,
                    httpUrl("OLLAMA_HOST", ollamaUrl(ollamaHost.strip()), "http://127.0.0.1:11434"), null,
                    List.of(), "OLLAMA_HOST"));
        }
    }

    private static String httpUrl(String variable, String url, String example) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new ConfigException(variable, null, "'" + url + "' is not an http(s) URL", "write it like " + example);
        }
        return url;
    }

    /** scheme://[user:password@]host then an optional :port, then the rest. */
    private static final Pattern OLLAMA_URL =
            Pattern.compile("^([a-z]+://(?:[^@/]*@)?(?:\\[[^]]+]|[^:/@]+))(:\\d+)?(.*)$");

    /** OLLAMA_HOST is often written without a scheme or port, and 0.0.0.0 means "listen everywhere". */
    static String ollamaUrl(String host) {
        String url = host.contains("://") ? host : "http://" + host;
        url = url.replace("://0.0.0.0", "://127.0.0.1");
        Matcher parts = OLLAMA_URL.matcher(url);
        if (parts.matches() && parts.group(2) == null) {
            url = parts.group(1) + ":11434" + parts.group(3);
        }
        return stripSlash(url);
    }

    static String defaultBaseUrl(ProviderKind kind) {
        return switch (kind) {
            case OPENAI -> "https://api.openai.com/v1";
            case ANTHROPIC -> "https://api.anthropic.com";
            case OLLAMA -> "http://127.0.0.1:11434";
        };
    }

    private static void put(List<ProviderConfig> providers, ProviderConfig provider) {
        providers.removeIf(p -> p.name().equals(provider.name()));
        providers.add(provider);
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The shape of steward.yaml itself (home and file are not settings). */
    record ConfigFile(RoutingConfig routing, List<ProviderConfig> providers, BudgetConfig budgets, CacheConfig cache,
                      DatabaseConfig database, String workspace, ActionsConfig actions,
                      List<McpServerConfig> mcpServers, AgentsConfig agents, MemoryConfig memory) {
        static final ConfigFile DEFAULTS = new ConfigFile(RoutingConfig.defaults(), List.of(),
                new BudgetConfig(null, null, new BudgetConfig.Limits(null, null, null),
                        new BudgetConfig.Limits(null, null, null), null),
                CacheConfig.defaults(), new DatabaseConfig("", null, null), "workspace",
                ActionsConfig.defaults(), List.of(), AgentsConfig.defaults(), MemoryConfig.defaults());

        ConfigFile {
            routing = routing == null ? RoutingConfig.defaults() : routing;
            budgets = budgets == null ? BudgetConfig.defaults() : budgets;
            cache = cache == null ? CacheConfig.defaults() : cache;
            providers = providers == null ? List.of() : providers;
            database = database == null ? DatabaseConfig.embedded() : database;
            actions = actions == null ? ActionsConfig.defaults() : actions;
            mcpServers = mcpServers == null ? List.of() : mcpServers;
            agents = agents == null ? AgentsConfig.defaults() : agents;
            memory = memory == null ? MemoryConfig.defaults() : memory;
        }
    }
}
