package dev.steward.config;

/**
 * Several nodes on one PostgreSQL database ({@code cluster:} in steward.yaml). On SQLite only the lease matters:
 * it is how soon a task left by a stopped process is carried on.
 *
 * @param leaseSeconds     how long a node may go silent before another takes its tasks over (default 30); a task
 *                         of a killed node is resumed within about this long plus a second
 * @param heartbeatSeconds how often a node writes its heartbeat to the node registry (default 5); a node silent for
 *                         three heartbeats is no longer listed as live
 */
public record ClusterConfig(Integer leaseSeconds, Integer heartbeatSeconds) {
    public ClusterConfig {
        leaseSeconds = leaseSeconds == null ? 30 : leaseSeconds;
        heartbeatSeconds = heartbeatSeconds == null ? 5 : heartbeatSeconds;
        if (leaseSeconds < 1 || leaseSeconds > 600) {
            throw new IllegalArgumentException("cluster.lease_seconds must be from 1 to 600, not " + leaseSeconds);
        }
        if (heartbeatSeconds < 1 || heartbeatSeconds > 300) {
            throw new IllegalArgumentException("cluster.heartbeat_seconds must be from 1 to 300, not "
                    + heartbeatSeconds);
        }
    }

    public static ClusterConfig defaults() {
        return new ClusterConfig(null, null);
    }
}
