package dev.steward.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The effective configuration: {@code steward.yaml} with the environment laid over it. Immutable; every field has
 * a default so that an empty file is a valid one.
 *
 * @param home      STEWARD_HOME, where everything lives
 * @param file      the configuration file that was read
 * @param workspace the only folder tools may touch (relative paths resolve against home)
 * @param actions   tools: the gate's policy, approvals, rate limits, sandbox and network limits, SQL databases
 * @param mcpServers external MCP servers whose tools become Steward tools
 * @param agents    the agent runtime: limits, roles and agent profiles
 * @param memory    how facts are learned from conversation
 * @param automation schedules of steward.yaml and the automation settings (missed runs, webhooks, notifications)
 * @param learning  the learning loop: how often it analyses, how far back, what it may apply on its own
 * @param server    what steward serve lets in: an IP allowlist, the largest request body
 * @param connections the outside services of the integration tools: email, calendar, payments
 * @param browser   the browser tools: allowed and blocked domains, Chromium, timeouts and limits
 * @param research  the research assistant: where to search for sources
 * @param cluster   several nodes on one PostgreSQL: task leases and heartbeats
 * @param warnings  what was ignored but is worth telling the user, one line each (a STEWARD_* variable that is
 *                  not a setting); the command line prints them
 */
public record StewardConfig(
        Path home,
        Path file,
        RoutingConfig routing,
        List<ProviderConfig> providers,
        BudgetConfig budgets,
        CacheConfig cache,
        DatabaseConfig database,
        Path workspace,
        ActionsConfig actions,
        List<McpServerConfig> mcpServers,
        AgentsConfig agents,
        MemoryConfig memory,
        AutomationConfig automation,
        LearningConfig learning,
        ServerConfig server,
        ConnectionsConfig connections,
        BrowserConfig browser,
        ResearchConfig research,
        ClusterConfig cluster,
        List<String> warnings) {

    public StewardConfig {
        routing = routing == null ? RoutingConfig.defaults() : routing;
        budgets = budgets == null ? BudgetConfig.defaults() : budgets;
        cache = cache == null ? CacheConfig.defaults() : cache;
        providers = providers == null ? List.of() : List.copyOf(providers);
        database = database == null ? DatabaseConfig.embedded() : database;
        actions = actions == null ? ActionsConfig.defaults() : actions;
        mcpServers = mcpServers == null ? List.of() : List.copyOf(mcpServers);
        agents = agents == null ? AgentsConfig.defaults() : agents;
        memory = memory == null ? MemoryConfig.defaults() : memory;
        automation = automation == null ? AutomationConfig.defaults() : automation;
        learning = learning == null ? LearningConfig.defaults() : learning;
        server = server == null ? ServerConfig.defaults() : server;
        connections = connections == null ? ConnectionsConfig.defaults() : connections;
        browser = browser == null ? BrowserConfig.defaults() : browser;
        research = research == null ? ResearchConfig.defaults() : research;
        cluster = cluster == null ? ClusterConfig.defaults() : cluster;
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        workspace = home.resolve(workspace == null ? Path.of("workspace") : workspace).normalize();
    }

    /** A configuration with the default agent runtime and memory settings, and nothing to warn about. */
    public StewardConfig(Path home, Path file, RoutingConfig routing, List<ProviderConfig> providers,
                         BudgetConfig budgets, CacheConfig cache, DatabaseConfig database, Path workspace,
                         ActionsConfig actions, List<McpServerConfig> mcpServers) {
        this(home, file, routing, providers, budgets, cache, database, workspace, actions, mcpServers, null, null, null,
                null, null, null, null, null, null, null);
    }

    /** The defaults for a home, as if its steward.yaml were empty and the environment clean. */
    public static StewardConfig defaults(Path home) {
        return new StewardConfig(home, home.resolve(ConfigLoader.FILE_NAME), null, null, null, null, null, null, null, null);
    }

    public boolean hasProviders() {
        return !providers.isEmpty();
    }
}
