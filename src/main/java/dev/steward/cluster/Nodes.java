package dev.steward.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.store.Database;
import dev.steward.support.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The node registry: each node's heartbeat row, and the list {@code steward nodes} and {@code /api/nodes} show. */
public final class Nodes {
    /** A row silent for longer than this is forgotten. */
    static final long FORGET_AFTER_MILLIS = 24 * 3_600_000L;

    private final Database database;
    private final Clock clock;
    private final long heartbeatMillis;

    public Nodes(Database database, Clock clock, long heartbeatMillis) {
        this.database = database;
        this.clock = clock;
        this.heartbeatMillis = heartbeatMillis;
    }

    /** Whether this database can hold several nodes (PostgreSQL); on SQLite one process serves it. */
    public boolean clustered() {
        return database.dialect() == Database.Dialect.POSTGRESQL;
    }

    public String databaseUrl() {
        return database.url();
    }

    /** Writes a node's heartbeat, creating its row on the first one. */
    void beat(String id, String host, String version, long startedAt, int activeTasks, boolean draining) {
        long now = clock.millis();
        database.jdbi().useHandle(h -> h.createUpdate("""
                        INSERT INTO nodes (id, host, version, schema_version, started_at, heartbeat_at, active_tasks,
                            draining)
                        VALUES (:id, :host, :version, :schema, :started, :now, :active, :draining)
                        ON CONFLICT (id) DO UPDATE SET heartbeat_at = :now, active_tasks = :active,
                            draining = :draining""")
                .bind("id", id).bind("host", host).bind("version", version)
                .bind("schema", database.schemaVersion()).bind("started", startedAt).bind("now", now)
                .bind("active", activeTasks).bind("draining", draining ? 1 : 0)
                .execute());
    }

    /** A node that stops cleanly leaves the registry; one that dies goes silent and is forgotten after a day. */
    void leave(String id) {
        database.jdbi().useHandle(h -> h.execute("DELETE FROM nodes WHERE id = ?", id));
    }

    void forgetSilent() {
        database.jdbi().useHandle(h -> h.execute("DELETE FROM nodes WHERE heartbeat_at < ?",
                clock.millis() - FORGET_AFTER_MILLIS));
    }

    /** Every node with a row, the newest first; a node silent for three heartbeats is listed as silent. */
    public List<Node> list() {
        long now = clock.millis();
        return database.jdbi().withHandle(h -> h.createQuery("""
                        SELECT n.*, (SELECT COUNT(*) FROM tasks t WHERE t.runner_id = n.id AND t.lease_until > :now)
                            AS leases
                        FROM nodes n ORDER BY n.started_at DESC, n.id""")
                .bind("now", now)
                .map((rs, ctx) -> new Node(rs.getString("id"), rs.getString("host"), rs.getString("version"),
                        rs.getString("schema_version"), Instant.ofEpochMilli(rs.getLong("started_at")),
                        Instant.ofEpochMilli(rs.getLong("heartbeat_at")), rs.getInt("active_tasks"),
                        rs.getInt("leases"), state(now, rs.getLong("heartbeat_at"), rs.getInt("draining") == 1)))
                .list());
    }

    private String state(long now, long heartbeatAt, boolean draining) {
        if (now - heartbeatAt > 3 * heartbeatMillis) {
            return "silent";
        }
        return draining ? "draining" : "live";
    }

    /** The nodes as JSON, as the CLI's --json and the API answer. */
    public ObjectNode json() {
        ObjectNode out = Json.object().put("clustered", clustered());
        ArrayNode list = out.putArray("nodes");
        for (Node n : list()) {
            list.addObject().put("id", n.id()).put("host", n.host()).put("version", n.version())
                    .put("schema_version", n.schemaVersion()).put("state", n.state())
                    .put("started_at", n.startedAt().toString()).put("heartbeat_at", n.heartbeatAt().toString())
                    .put("active_tasks", n.activeTasks()).put("leases", n.leases());
        }
        return out;
    }
}
