package dev.steward.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.secrets.SecretStore;
import dev.steward.support.Lazy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code STEWARD_HOME/steward.yaml} and lays the environment over it. Every user mistake becomes a
 * {@link ConfigException} that names the file and line (or the variable), the key and the fix. {@code ${VAR}} and
 * {@code ${secret:NAME}} are resolved in every value.
 */
public final class ConfigLoader {
    public static final String FILE_NAME = "steward.yaml";

    private final Map<String, String> env;

    public ConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** STEWARD_HOME, or ~/.steward. */
    public Path home() {
        return ConfigHome.of(env);
    }

    /** Loads the configuration, creating the home and a commented steward.yaml on first run. */
    public StewardConfig load() {
        Path home = home();
        Path file = home.resolve(FILE_NAME);
        return parse(home, file, ConfigHome.read(home, file));
    }

    /** Checks that text is a valid configuration, as an edit is about to write it; throws ConfigException if not. */
    void parseForCheck(Path home, Path file, String text) {
        ConfigText source = new ConfigText(file, text);
        ConfigMapping.map(source.tree(), source, Map.of());
    }

    /** Parses configuration text as if it were the file at {@code file}. */
    StewardConfig parse(Path home, Path file, String text) {
        ConfigText source = new ConfigText(file, text);
        ObjectNode tree = source.tree();
        new ConfigReferences(source, env, Lazy.of(() -> SecretStore.open(home, env))).resolve(tree);
        // Map the file alone first, so that type errors point at its lines.
        ConfigFile fromFile = ConfigMapping.map(tree, source, Map.of());
        EnvironmentOverrides.Applied environment = EnvironmentOverrides.apply(tree, env, source.referencedVariables());
        Map<String, String> overrides = environment.variables();
        ConfigFile merged = overrides.isEmpty() ? fromFile : ConfigMapping.map(tree, source, overrides);
        ConfigChecks checks = new ConfigChecks(env, source);
        List<ProviderConfig> providers = new ArrayList<>(checks.providers(merged.providers()));
        EnvironmentProviders.merge(providers, env);
        DatabaseConfig database = checks.database(merged.database(), overrides);
        Path workspace = merged.workspace() == null ? null : Path.of(merged.workspace());
        ActionsConfig actions = checks.actions(merged.actions());
        return new StewardConfig(home, file, merged.routing(), providers, merged.budgets(), merged.cache(), database,
                workspace, actions, checks.mcpServers(merged.mcpServers()), merged.agents(), merged.memory(),
                new AutomationConfig(merged.schedules(), merged.automation()), merged.learning(),
                merged.server(), merged.connections().checked(source),
                merged.browser(), merged.research(), merged.cluster(), environment.warnings());
    }
}
