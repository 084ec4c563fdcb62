package dev.steward.actions;

import dev.steward.support.Errors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.config.ActionsConfig;
import dev.steward.support.Json;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * sql.query: one statement against a database configured by name. Connections are read-only unless the database
 * allows writing; a writing statement is dangerous, so the gate asks for approval first.
 */
final class SqlQueryTool implements Tool {
    static final String NAME = "sql.query";
    private static final Set<String> READING = Set.of("select", "with", "explain", "values", "show", "pragma", "table");
    private static final Pattern COMMENTS = Pattern.compile("--[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);

    private final Map<String, ActionsConfig.SqlDatabase> databases;
    private final ToolSpec spec;

    SqlQueryTool(Map<String, ActionsConfig.SqlDatabase> databases) {
        this.databases = databases;
        this.spec = new ToolSpec(NAME, "Run one SQL statement against a configured database"
                + (databases.isEmpty() ? " (none configured yet)" : " (" + String.join(", ", new TreeSet<>(databases.keySet())) + ")")
                + ". Reading is allowed; writing needs approval and a database that allows it.",
                Json.parse("""
                        {"type":"object","properties":{
                          "database":{"type":"string","minLength":1},
                          "sql":{"type":"string","minLength":1}},
                         "required":["database","sql"],"additionalProperties":false}"""),
                Risk.READ);
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public Risk riskOf(JsonNode arguments) {
        return writes(arguments.path("sql").asText()) ? Risk.DANGEROUS : Risk.READ;
    }

    /** Whether a statement may change data: anything whose first word is not a reading one. */
    static boolean writes(String sql) {
        String text = COMMENTS.matcher(sql).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
        String first = text.split("[\\s(]+", 2)[0];
        return !READING.contains(first) || text.matches("(?s).*\\b(insert|update|delete|drop|alter|create|replace|attach)\\b.*")
                && first.equals("with");
    }

    @Override
    public ToolResult call(JsonNode arguments, ToolContext context) {
        String name = arguments.path("database").asText();
        ActionsConfig.SqlDatabase database = databases.get(name);
        if (database == null) {
            return ToolResult.failed("no database named '" + name + "'"
                    + (databases.isEmpty() ? "; configure one under actions.databases in steward.yaml"
                    : "; configured: " + String.join(", ", new TreeSet<>(databases.keySet()))));
        }
        String sql = COMMENTS.matcher(arguments.path("sql").asText()).replaceAll(" ").strip();
        if (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).strip();
        }
        if (sql.contains(";")) {
            return ToolResult.failed("argument 'sql': one statement at a time (found ';' inside)");
        }
        boolean writing = writes(sql);
        if (writing && !database.allowWrite()) {
            return ToolResult.failed("database '" + name + "' is read-only; this statement writes (set "
                    + "actions.databases." + name + ".allow_write: true to allow writing after approval)");
        }
        try (Connection connection = open(database, !writing); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(database.timeoutSeconds());
            statement.setMaxRows(database.maxRows() + 1);
            ObjectNode result = Json.object().put("database", name);
            if (statement.execute(sql)) {
                try (ResultSet rows = statement.getResultSet()) {
                    ResultSetMetaData meta = rows.getMetaData();
                    ArrayNode columns = result.putArray("columns");
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        columns.add(meta.getColumnLabel(c));
                    }
                    ArrayNode list = result.putArray("rows");
                    boolean truncated = false;
                    while (rows.next()) {
                        if (list.size() == database.maxRows()) {
                            truncated = true;
                            break;
                        }
                        ArrayNode row = list.addArray();
                        for (int c = 1; c <= meta.getColumnCount(); c++) {
                            row.add(Json.mapper().valueToTree(rows.getObject(c)));
                        }
                    }
                    result.put("truncated", truncated);
                }
            } else {
                result.put("updated", statement.getUpdateCount());
            }
            return ToolResult.ok(result);
        } catch (SQLException e) {
            return ToolResult.failed("the statement failed: " + Errors.firstLine(e));
        }
    }

    private static Connection open(ActionsConfig.SqlDatabase database, boolean readOnly) throws SQLException {
        Properties properties = new Properties();
        if (database.url().startsWith("jdbc:sqlite:")) {
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setReadOnly(readOnly);
            config.setBusyTimeout(database.timeoutSeconds() * 1000);
            properties = config.toProperties();
        } else if (!database.url().startsWith("jdbc:postgresql:")) {
            throw new SQLException("'" + database.url() + "' is neither a SQLite nor a PostgreSQL JDBC URL");
        }
        if (database.user() != null) {
            properties.setProperty("user", database.user());
        }
        if (database.password() != null) {
            properties.setProperty("password", database.password());
        }
        Connection connection = DriverManager.getConnection(database.url(), properties);
        if (readOnly) {
            connection.setReadOnly(true);
        }
        return connection;
    }
}
