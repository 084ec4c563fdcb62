package dev.steward.config;

/** Where Steward keeps its rows. An empty url means SQLite at {@code STEWARD_HOME/steward.db}. */
public record DatabaseConfig(String url, String user, String password) {
    public DatabaseConfig {
        url = url == null ? "" : url.strip();
    }

    public static DatabaseConfig embedded() {
        return new DatabaseConfig("", null, null);
    }
}
