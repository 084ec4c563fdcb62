package dev.steward.config;

import java.util.List;

/** The shape of steward.yaml itself (home and file are not settings), as Jackson maps it before any checks. */
record ConfigFile(RoutingConfig routing, List<ProviderConfig> providers, BudgetConfig budgets, CacheConfig cache,
                  DatabaseConfig database, String workspace, ActionsConfig actions,
                  List<McpServerConfig> mcpServers, AgentsConfig agents, MemoryConfig memory,
                  List<AutomationConfig.ScheduleEntry> schedules, AutomationConfig.Settings automation,
                  LearningConfig learning, ServerConfig server,
                  ConnectionsConfig connections, BrowserConfig browser, ResearchConfig research,
                  ClusterConfig cluster) {
    /** Every key with its default value: the list of keys the environment may set. */
    static final ConfigFile DEFAULTS = new ConfigFile(RoutingConfig.defaults(), List.of(),
            new BudgetConfig(null, null, new BudgetConfig.Limits(null, null, null),
                    new BudgetConfig.Limits(null, null, null), null),
            CacheConfig.defaults(), new DatabaseConfig("", null, null), "workspace",
            ActionsConfig.defaults(), List.of(), AgentsConfig.defaults(), MemoryConfig.defaults(),
            List.of(), AutomationConfig.Settings.defaults(),
            LearningConfig.defaults(), ServerConfig.defaults(),
            ConnectionsConfig.defaults(), BrowserConfig.defaults(), ResearchConfig.defaults(),
            ClusterConfig.defaults());

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
        schedules = schedules == null ? List.of() : schedules;
        automation = automation == null ? AutomationConfig.Settings.defaults() : automation;
        learning = learning == null ? LearningConfig.defaults() : learning;
        server = server == null ? ServerConfig.defaults() : server;
        connections = connections == null ? ConnectionsConfig.defaults() : connections;
        browser = browser == null ? BrowserConfig.defaults() : browser;
        research = research == null ? ResearchConfig.defaults() : research;
        cluster = cluster == null ? ClusterConfig.defaults() : cluster;
    }
}
